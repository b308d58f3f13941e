package io.longshore.verify;

import io.longshore.kit.output.Console;
import io.longshore.kit.run.Job;
import io.longshore.kit.run.Outcome;
import io.longshore.verify.plan.VerifyPlan;
import io.longshore.verify.registry.Backoff;
import io.longshore.verify.registry.Connector;
import io.longshore.kit.wait.Deadline;
import io.longshore.verify.walk.Finding;
import io.longshore.verify.walk.Node;
import io.longshore.verify.walk.NodeRecord;
import io.longshore.verify.walk.Tally;
import io.longshore.verify.walk.TreePrinter;
import io.longshore.verify.walk.Walker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Verify mode: carries out a {@link VerifyPlan} in named steps and turns the walked tree into an outcome. */
public final class Verification {
    /** The report's {@code details}. */
    public record Details(String registry, String repository, List<TagResult> tags, Tally tally, long walkMs, List<NodeRecord> nodes) {}

    public record TagResult(String tag, String digest, String status, String findingDigest, String finding) {}

    private final VerifyPlan plan;
    private final Backoff backoff;

    public Verification(VerifyPlan plan, Backoff backoff) {
        this.plan = plan;
        this.backoff = backoff;
    }

    public Outcome run(Job job) {
        var events = job.events();
        Deadline deadline = Deadline.in(plan.timeout());
        events.step("Plan");
        plan.describe().forEach(events::progress);
        plan.notes().forEach(events::warn);

        events.step("Connect to " + plan.target().endpoint());
        Connector.Result connected = Connector.connect(settings(job, deadline), job.masker());
        if (connected instanceof Connector.Unreachable(String reason)) {
            return new Outcome.Unreachable(reason, null);
        }
        Connector.Connection conn = ((Connector.Connected) connected).connection();
        events.progress("registry API at " + conn.client().base());

        events.step("Walk " + plan.target().repository() + " (" + Tally.plural(plan.tags().size(), "tag") + ")");
        Instant started = Instant.now();
        List<Node> roots;
        try (Walker walker = new Walker(conn.client(), plan.walk());
             ExecutorService tags = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<Node>> futures = new ArrayList<>();
            for (String tag : plan.tags()) {
                futures.add(CompletableFuture.supplyAsync(() -> walker.walkTag(plan.target().repository(), tag, plan.expected()), tags));
            }
            roots = Progress.await(futures, walker, events);
        }
        Duration took = Duration.between(started, Instant.now());
        if (!conn.limit().describe().isEmpty()) {
            events.progress(conn.limit().describe());
        }

        events.step("Result");
        TreePrinter.render(roots, false).forEach(events::progress);
        Tally tally = Tally.of(roots);
        List<TagResult> tagResults = roots.stream().map(r -> new TagResult(r.label(), r.digest(),
                r.worst().name().toLowerCase(java.util.Locale.ROOT), firstFinding(r).map(Finding::digest).orElse(null),
                firstFinding(r).map(Finding::message).orElse(null))).toList();
        Details details = new Details(plan.target().endpoint().name(), plan.target().repository(), tagResults, tally, took.toMillis(),
                NodeRecord.flatten(roots, null));
        return outcome(tally, roots, took, details, conn.auth().lastRefusal());
    }

    static Outcome outcome(Tally tally, List<Node> roots, Duration took, Object details, String refusal) {
        String counts = tally.counts();
        return switch (tally.worst()) {
            case OK, SKIPPED -> new Outcome.Ok(counts + ": intact in " + Console.seconds(took), details);
            case BROKEN -> new Outcome.Failed(counts + ": " + tally.broken() + " broken; first: " + describeFirst(roots, Node.Status.BROKEN), details);
            case UNREACHABLE -> new Outcome.Unreachable(counts + ": could not verify; " + describeFirst(roots, Node.Status.UNREACHABLE)
                    + (refusal != null ? " (" + refusal + ")" : ""), details);
        };
    }

    static String describeFirst(List<Node> roots, Node.Status status) {
        for (Node r : roots) {
            String s = first(r, r.label(), status);
            if (s != null) {
                return s;
            }
        }
        return "no details";
    }

    private static String first(Node n, String path, Node.Status status) {
        if (n.status() == status && n.finding() != null) {
            return path + ": " + (n.finding().digest() == null ? "" : n.finding().digest() + " ") + n.finding().message();
        }
        for (Node c : n.children()) {
            String s = first(c, path + " > " + c.label(), status);
            if (s != null) {
                return s;
            }
        }
        return null;
    }

    static java.util.Optional<Finding> firstFinding(Node n) {
        if (n.finding() != null && n.status() != Node.Status.SKIPPED) {
            return java.util.Optional.of(n.finding());
        }
        for (Node c : n.children()) {
            var f = firstFinding(c);
            if (f.isPresent()) {
                return f;
            }
        }
        return java.util.Optional.empty();
    }

    private Connector.Settings settings(Job job, Deadline deadline) {
        return new Connector.Settings(plan.target().endpoint(), plan.credentials(), plan.insecure(), plan.caCert(),
                plan.walk().concurrency(), plan.retries(), backoff, deadline, io.longshore.kit.http.HttpClients.userAgent(job.plugin()));
    }
}
