package io.longshore.deploy.health;

import io.longshore.kit.output.Events;
import io.longshore.kit.run.ShutdownHooks;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import io.longshore.kit.wait.Deadline;
import io.longshore.kit.wait.Pace;
import io.longshore.kit.wait.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import okhttp3.Dns;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Asks a URL until it answers an accepted status or the deadline passes. {@code resolve} entries
 * pin a host and port to an address (curl's {@code --resolve}), so a domain can be checked
 * through a local proxy without DNS. The last status and an excerpt of the body are kept for the report.
 */
public final class HealthGate {
    static final Duration RETRY = Duration.ofMillis(500);
    private static final int EXCERPT = 300;

    private final OkHttpClient base;
    private final Events events;
    private final ShutdownHooks hooks;
    private final TimeSource time;

    /** {@code lastStatus} is 0 when no answer came (the error is in {@code lastBody}). */
    public record Result(boolean healthy, String url, int lastStatus, String lastBody, int attempts, Duration took) {
        public String describe() {
            String answer = lastStatus == 0 ? "no answer: " + lastBody : "HTTP " + lastStatus
                    + (lastBody.isBlank() ? "" : ": " + lastBody);
            return (healthy ? "healthy: " : "unhealthy: ") + url + " answered " + answer + " after " + attempts + " attempt(s)";
        }
    }

    public HealthGate(OkHttpClient base, Events events, ShutdownHooks hooks, TimeSource time) {
        this.base = base;
        this.events = events;
        this.hooks = hooks;
        this.time = time;
    }

    public Result check(String url, StatusRanges accepted, List<ResolveEntry> resolve, Duration timeout) throws InterruptedException {
        HttpUrl u = HttpUrl.parse(url);
        if (u == null) {
            throw new IllegalArgumentException("'" + url + "' is not an http(s) URL");
        }
        OkHttpClient client = base.newBuilder().dns(pinned(u, resolve)).followRedirects(false)
                .connectTimeout(Duration.ofSeconds(5)).readTimeout(Duration.ofSeconds(10)).callTimeout(Duration.ofSeconds(15)).build();
        Instant start = time.now();
        Deadline deadline = Deadline.in(timeout, time).cancelledWhen(hooks::shuttingDown);
        Attempts a = new Attempts();
        Optional<Result> healthy = deadline.poll(() -> {
            a.count++;
            try (Response r = client.newCall(new Request.Builder().url(u).build()).execute()) {
                a.status = r.code();
                a.body = excerpt(r.body());
            } catch (IOException e) {
                a.status = 0;
                a.body = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            }
            if (a.status != 0 && accepted.accepts(a.status)) {
                return Optional.of(new Result(true, url, a.status, a.body, a.count, Duration.between(start, time.now())));
            }
            String now = a.status == 0 ? "no answer" : "HTTP " + a.status;
            if (!now.equals(a.reported)) {
                events.progress(url + ": " + now + (a.status == 0 ? " (" + a.body + ")" : "") + ", want " + accepted);
                a.reported = now;
            }
            return Optional.empty();
        }, Pace.every(RETRY));
        return healthy.orElseGet(() -> new Result(false, url, a.status, a.body, a.count, Duration.between(start, time.now())));
    }

    /** What the attempts so far saw. */
    private static final class Attempts {
        int count;
        int status;
        String body = "";
        String reported = "";
    }

    private static Dns pinned(HttpUrl url, List<ResolveEntry> resolve) {
        return host -> {
            for (ResolveEntry e : resolve) {
                if (e.host().equalsIgnoreCase(host) && e.port() == url.port()) {
                    try {
                        return List.of(InetAddress.getByName(e.address()));
                    } catch (UnknownHostException ex) {
                        throw new UnknownHostException("--resolve address " + e.address() + " for " + host + " is not an address");
                    }
                }
            }
            return Dns.SYSTEM.lookup(host);
        };
    }

    private static String excerpt(ResponseBody body) throws IOException {
        if (body == null) {
            return "";
        }
        okio.BufferedSource source = body.source();
        source.request(EXCERPT);
        String s = source.getBuffer().readString(Math.min(source.getBuffer().size(), EXCERPT), StandardCharsets.UTF_8)
                .strip().replaceAll("\\s+", " ");
        return s.length() > EXCERPT ? s.substring(0, EXCERPT) : s;
    }
}
