package io.longshore.prune.node;

import io.longshore.kit.engine.Engine;
import io.longshore.kit.engine.EngineApiException;
import io.longshore.kit.engine.Filter;
import io.longshore.kit.engine.model.Node;
import io.longshore.kit.node.HelperImage;
import io.longshore.kit.node.NodeJob;
import io.longshore.kit.output.Events;
import io.longshore.kit.run.UnreachableException;
import io.longshore.kit.wait.Deadline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Prune on the swarm's other nodes: disk pressure is a node's, so each node computes its own disk
 * gate and plan and acts only when its gate is open. The connected engine does its part itself;
 * every other node runs the prune image as a helper job ({@link NodeJob}) with {@code --node-part}
 * (its disk gate and plan on its own engine, with its data root mounted read-only), and its output
 * comes back per node. A node that takes no task (down, drained, paused) is reported as not pruned.
 */
public final class NodeParts {
    /** The node label naming a node's Docker data root when it is not {@code /var/lib/docker}. */
    public static final String DATA_ROOT_LABEL = "io.longshore.docker-root";
    static final String DATA_ROOT = "/var/lib/docker";
    private static final Duration DEADLINE = Duration.ofMinutes(15);

    /** One other node's part: its output, and whether it ended well (or why it could not run). */
    public record Part(String node, String nodeId, Integer exitCode, List<String> output, String problem) {
        public boolean ok() {
            return problem == null && exitCode != null && exitCode == 0;
        }

        /** Its closing summary line, or the problem. */
        public String summary() {
            if (problem != null) {
                return problem;
            }
            if (output.isEmpty()) {
                return "exit " + exitCode;
            }
            // the part's closing line: "prune: ok (exit 0, 1.2s): <sentence>"
            var m = java.util.regex.Pattern.compile("^\\S+: \\S+ \\(exit \\d+, [^)]*\\): (.*)$").matcher(output.getLast().trim());
            return m.matches() ? m.group(1) : output.getLast().trim();
        }

        public Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("node", node);
            m.put("nodeId", nodeId);
            m.put("exitCode", exitCode);
            m.put("summary", summary());
            return m;
        }
    }

    private NodeParts() {}

    /** The other nodes of the swarm this manager belongs to; none outside a swarm. */
    public static List<Node> otherNodes(Engine engine) {
        try {
            var swarm = engine.get("/info").path("Swarm");
            if (!swarm.path("ControlAvailable").asBoolean(false)) {
                return List.of();
            }
            String self = swarm.path("NodeID").asText("");
            return engine.read().nodes(Filter.NONE).stream().filter(n -> !n.id().equals(self)).toList();
        } catch (EngineApiException | UnreachableException e) {
            return List.of();
        }
    }

    /** The helper job's arguments: the same prune settings, as one node's part, on its data root (pure). */
    public static List<String> args(int threshold, String until, boolean force, boolean dryRun) {
        return List.of("--node-part", "--threshold", String.valueOf(threshold), "--until", until, "--path", DATA_ROOT,
                "--force=" + force, "--dry-run=" + dryRun);
    }

    /** Runs every other node's part in parallel; each node's output is printed under its name. */
    public static List<Part> run(Engine engine, Events events, List<Node> nodes, HelperImage image, List<String> args)
            throws InterruptedException {
        List<Part> parts = new ArrayList<>();
        Deadline deadline = Deadline.in(DEADLINE);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Part>> running = new ArrayList<>();
            for (Node n : nodes) {
                running.add(pool.submit(() -> one(engine, n, image, args, deadline)));
            }
            for (Future<Part> f : running) {
                try {
                    parts.add(f.get());
                } catch (ExecutionException e) {
                    throw new IllegalStateException("a node's prune failed unexpectedly", e.getCause());
                }
            }
        }
        for (Part p : parts) {
            events.step("node " + p.node());
            if (p.problem() != null) {
                events.progress("not pruned: " + p.problem());
            }
            p.output().forEach(l -> events.progress("| " + l));
        }
        return parts;
    }

    private static Part one(Engine engine, Node n, HelperImage image, List<String> args, Deadline deadline) throws InterruptedException {
        var why = n.whyNoTasks();
        if (why.isPresent()) {
            return new Part(n.displayName(), n.id(), null, List.of(), "node " + n.displayName() + " " + why.get() + ": it cannot be asked");
        }
        var id = image.id();
        if (id.isEmpty()) {
            return new Part(n.displayName(), n.id(), null, List.of(), image.missing());
        }
        String root = n.labels().getOrDefault(DATA_ROOT_LABEL, DATA_ROOT);
        NodeJob job = new NodeJob(NodeJob.name("prune", n.id(), "node"), n, id.get(), args, Map.of(), Map.of(root, DATA_ROOT));
        NodeJob.Ended ended = job.run(engine, deadline);
        return new Part(n.displayName(), n.id(), ended.exitCode(), ended.log(), ended.problem());
    }
}
