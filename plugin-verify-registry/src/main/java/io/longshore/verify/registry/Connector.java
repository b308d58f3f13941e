package io.longshore.verify.registry;

import io.longshore.kit.wait.Deadline;
import io.longshore.kit.http.HttpClients;
import io.longshore.kit.http.HttpOptions;
import io.longshore.kit.output.Masker;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * Builds the one OkHttpClient of a run — pool sized for {@code concurrency}, interceptors
 * retry → auth → in-flight limit → masking — and finds the scheme the registry speaks.
 */
public final class Connector {
    public record Settings(Endpoint endpoint, Credentials credentials, boolean insecure, Path caCert, int concurrency,
                           int retries, Backoff backoff, Deadline deadline, String userAgent) {}

    /** A connected registry: the client to fetch with, and the auth flow's state for messages. */
    public record Connection(RegistryClient client, AuthInterceptor auth, InFlightLimit limit, OkHttpClient http) {}

    /** The connection, or why there is none (a sentence; the caller maps it to exit 3). */
    public sealed interface Result {}

    public record Connected(Connection connection) implements Result {}

    public record Unreachable(String reason) implements Result {}

    private Connector() {}

    public static OkHttpClient baseClient(Settings s, Masker masker) {
        Duration remaining = s.deadline().remaining();
        Duration connect = min(Duration.ofSeconds(10), remaining);
        Duration read = min(Duration.ofSeconds(30), remaining);
        OkHttpClient kit = HttpClients.create(HttpOptions.defaults(s.userAgent()).withTls(s.insecure(), s.caCert())
                .withTimeouts(connect, read, Duration.ZERO));
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(Math.max(64, s.concurrency() * 2));
        dispatcher.setMaxRequestsPerHost(Math.max(5, s.concurrency() * 2));
        return kit.newBuilder()
                .dispatcher(dispatcher)
                .connectionPool(new ConnectionPool(Math.max(5, s.concurrency() * 2), 1, TimeUnit.MINUTES))
                .retryOnConnectionFailure(false) // RetryInterceptor decides, with backoff and the deadline
                .addInterceptor(new RetryInterceptor(s.retries(), s.backoff(), s.deadline()))
                .addNetworkInterceptor(new SecretMaskingInterceptor(masker))
                .build();
    }

    public static Result connect(Settings s, Masker masker) {
        OkHttpClient base = baseClient(s, masker);
        AuthInterceptor auth = new AuthInterceptor(s.credentials(), base);
        // after auth, so that a token request never waits behind the requests it would unblock
        InFlightLimit limit = new InFlightLimit(s.concurrency(), s.deadline(), Clock.systemUTC());
        OkHttpClient http = base.newBuilder().addInterceptor(auth).addInterceptor(limit).build();
        Endpoint e = s.endpoint();
        String first = e.scheme() != null ? e.scheme() : "https";
        RegistryClient client = new RegistryClient(http, HttpUrl.get(e.url(first)), s.deadline());
        boolean mayFallBack = e.scheme() == null && (e.loopback() || s.insecure());
        Reply.PingReply ping = client.ping(mayFallBack);
        if (ping instanceof Reply.NoAnswer(Reply.Failure f) && mayFallBack && !untrustedCertificate(f)) {
            client = new RegistryClient(http, HttpUrl.get(e.url("http")), s.deadline());
            ping = client.ping();
        }
        String where = client.base().scheme() + "://" + e.apiHost();
        return switch (ping) {
            case Reply.Reachable r -> new Connected(new Connection(client, auth, limit, http));
            case Reply.Refused r -> new Unreachable(where + " refused access (HTTP " + r.status() + "): "
                    + (auth.lastRefusal() != null ? auth.lastRefusal() : "credentials refused"));
            case Reply.NotARegistry r -> new Unreachable(where + "/v2/ answered HTTP " + r.status()
                    + (r.status() == 404 ? ": not a registry API" : r.status() >= 500 || r.status() == 429 ? " after retries" : ""));
            case Reply.NoAnswer(Reply.Failure f) -> new Unreachable(where + " did not answer: " + f.reason() + certHint(f));
        };
    }

    /** A TLS server whose certificate we do not trust: falling back to plain HTTP would not help, and would hide why. */
    private static boolean untrustedCertificate(Reply.Failure f) {
        return f.untrustedCertificate();
    }

    private static String certHint(Reply.Failure f) {
        return f.untrustedCertificate() ? " (the certificate is not trusted: set ca_cert to the registry's CA, or insecure: true)" : "";
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : (b.isZero() ? Duration.ofMillis(1) : b);
    }
}
