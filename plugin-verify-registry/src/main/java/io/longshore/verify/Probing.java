package io.longshore.verify;

import io.longshore.kit.http.HttpClients;
import io.longshore.kit.http.HttpOptions;
import io.longshore.kit.run.Job;
import io.longshore.kit.run.Outcome;
import io.longshore.verify.probe.Glob;
import io.longshore.verify.probe.Metrics;
import io.longshore.verify.probe.Probe;
import io.longshore.verify.probe.ProbeResult;
import io.longshore.verify.registry.Backoff;
import io.longshore.verify.registry.Connector;
import io.longshore.verify.registry.Credentials;
import io.longshore.kit.wait.Deadline;
import io.longshore.verify.registry.Endpoint;
import io.longshore.verify.walk.Node;
import io.longshore.verify.walk.NodeRecord;
import io.longshore.verify.walk.Tally;
import io.longshore.verify.walk.TreePrinter;
import io.longshore.verify.walk.WalkOptions;
import io.longshore.verify.walk.Walker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** Probe mode: walk the catalog, write the metrics (file and Pushgateway), and say whether anything is broken. */
public final class Probing {
    public record Settings(Endpoint endpoint, Credentials credentials, boolean insecure, Path caCert, WalkOptions walk,
                           int retries, Duration timeout, List<Glob> repos, int maxTags, Path metricsFile, String pushgateway) {}

    public record Details(String registry, boolean catalogAccessible, String catalogProblem, int repositoriesChecked,
                          int tagsChecked, int brokenTags, int missingBlobs, Tally tally, List<NodeRecord> nodes) {}

    private final Settings s;
    private final Backoff backoff;

    public Probing(Settings s, Backoff backoff) {
        this.s = s;
        this.backoff = backoff;
    }

    public Outcome run(Job job) {
        var events = job.events();
        Deadline deadline = Deadline.in(s.timeout());
        Instant started = Instant.now();
        events.step("Connect to " + s.endpoint());
        Connector.Result connected = Connector.connect(new Connector.Settings(s.endpoint(), s.credentials(), s.insecure(), s.caCert(),
                s.walk().concurrency(), s.retries(), backoff, deadline, HttpClients.userAgent(job.plugin())), job.masker());
        if (connected instanceof Connector.Unreachable(String reason)) {
            ProbeResult none = new ProbeResult(s.endpoint().name(), Instant.now(), Duration.between(started, Instant.now()), false, reason, List.of());
            publish(job, none);
            return new Outcome.Unreachable(reason, null);
        }
        Connector.Connection conn = ((Connector.Connected) connected).connection();

        events.step("Probe " + s.endpoint() + (s.repos().isEmpty() ? "" : " (" + String.join(", ", s.repos().stream().map(Glob::text).toList()) + ")"));
        ProbeResult result;
        try (Walker walker = new Walker(conn.client(), s.walk())) {
            result = new Probe(conn.client(), walker, s.repos(), s.maxTags(), events).run(s.endpoint().name());
        }
        if (!conn.limit().describe().isEmpty()) {
            events.progress(conn.limit().describe());
        }
        List<Node> roots = result.repositories().stream().flatMap(r -> r.tags().stream()).toList();
        Tally tally = Tally.of(roots);

        events.step("Metrics");
        publish(job, result);

        events.step("Result");
        TreePrinter.render(roots, true).forEach(events::progress);
        Details details = new Details(result.registry(), result.catalogAccessible(), result.catalogProblem(), result.repositories().size(),
                result.tagsChecked(), result.brokenTags(), result.missingBlobs(), tally, NodeRecord.flatten(roots, null));
        String counts = Tally.plural(result.repositories().size(), "repository", "repositories") + ", " + tally.counts();
        if (!result.catalogAccessible()) {
            String why = "catalog inaccessible: " + result.catalogProblem() + (conn.auth().lastRefusal() != null ? " (" + conn.auth().lastRefusal() + ")" : "");
            return new Outcome.Unreachable(why, details);
        }
        Outcome walked = Verification.outcome(tally, roots, result.took(), details, conn.auth().lastRefusal());
        return switch (walked) {
            case Outcome.Ok ok -> new Outcome.Ok(counts + ": intact in " + io.longshore.kit.output.Console.seconds(result.took()), details);
            case Outcome.Failed f -> new Outcome.Failed(Tally.plural(result.brokenTags(), "broken tag") + " in "
                    + counts + "; first: " + Verification.describeFirst(roots, Node.Status.BROKEN), details);
            default -> walked;
        };
    }

    private void publish(Job job, ProbeResult result) {
        String text = Metrics.render(result);
        if (s.metricsFile() != null) {
            try {
                Path target = s.metricsFile().toAbsolutePath();
                Files.createDirectories(target.getParent());
                Path tmp = Files.createTempFile(target.getParent(), ".metrics-", ".prom");
                Files.writeString(tmp, text, StandardCharsets.UTF_8);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                job.events().progress("metrics written to " + target);
            } catch (IOException e) {
                job.events().warn("could not write the metrics to " + s.metricsFile() + ": " + e.getMessage());
            }
        }
        if (s.pushgateway() != null) {
            push(job, text);
        }
    }

    /** PUT replaces this job's group on the Pushgateway, so a repository that went away does not linger. */
    private void push(Job job, String text) {
        HttpUrl base = HttpUrl.parse(s.pushgateway().trim());
        HttpUrl url = base.newBuilder().addPathSegment("metrics").addPathSegment("job").addPathSegment("longshore_verify_registry")
                .addPathSegment("instance").addPathSegment(s.endpoint().name()).build();
        OkHttpClient http = HttpClients.create(HttpOptions.defaults(HttpClients.userAgent(job.plugin()))
                .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60)));
        Request req = new Request.Builder().url(url)
                .put(RequestBody.create(text, MediaType.get("text/plain; version=0.0.4; charset=utf-8"))).build();
        try (Response r = http.newCall(req).execute()) {
            if (r.isSuccessful()) {
                job.events().progress("metrics pushed to " + base.host() + ":" + base.port());
            } else {
                job.events().warn("the Pushgateway at " + base.host() + ":" + base.port() + " answered HTTP " + r.code()
                        + "; the probe-stale alert will notice");
            }
        } catch (IOException e) {
            job.events().warn("could not push the metrics to " + base.host() + ":" + base.port() + ": " + e.getMessage());
        }
    }
}
