package io.longshore.kit.stack;

import io.longshore.kit.engine.Engine;
import io.longshore.kit.engine.model.Node;
import io.longshore.kit.node.HelperImage;
import io.longshore.kit.node.NodeJob;
import io.longshore.kit.wait.Deadline;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Runs {@link NodeSweep} on another swarm node as a {@link NodeJob}; the image is a
 * {@link HelperImage} (any longshore plugin image serves: the sweep is a hidden entry of every
 * plugin's launcher), falling back to {@code longshore/teardown}.
 */
public final class NodeHelper {
    /** What the job is given beyond the sweep's own deadline, to start and to report. */
    private static final Duration MARGIN = Duration.ofSeconds(5);

    private final Engine engine;
    private final HelperImage image;

    /** {@code configured}: the helper_image setting, or null for the default. */
    public NodeHelper(Engine engine, String configured) {
        this.engine = engine;
        this.image = new HelperImage(engine, configured, "longshore/teardown");
    }

    /** Sweeps run {@code stack} off {@code node}; the node's result, or a problem naming why it could not be asked. */
    public NodeSweep.Result sweep(Node node, String stack, Duration grace, Deadline deadline) throws InterruptedException {
        var id = image.id();
        if (id.isEmpty()) {
            return problem(node, image.missing());
        }
        Duration budget = deadline.remaining().minus(MARGIN);
        if (budget.compareTo(Duration.ofSeconds(1)) < 0) {
            budget = Duration.ofSeconds(1);
        }
        NodeJob.Ended ended = job(node, stack, id.get(), grace, budget).run(engine, deadline);
        return NodeSweep.parse(ended.log()).orElseGet(() -> problem(node, ended.problem() != null ? ended.problem()
                : "its helper job ended (exit " + ended.exitCode() + ") without a result"
                        + (ended.log().isEmpty() ? "" : "; last output: " + ended.log().getLast())));
    }

    /** The node's longshore-labelled containers and volumes, or why they could not be listed. */
    public record Listed(List<RunObject> objects, String problem) {}

    public Listed list(Node node, Deadline deadline) throws InterruptedException {
        var id = image.id();
        if (id.isEmpty()) {
            return new Listed(List.of(), image.missing());
        }
        NodeJob job = new NodeJob(NodeJob.name("list", node.id(), "runs"), node, id.get(), List.of(NodeSweep.LIST, node.id()),
                Map.of(), Map.of());
        NodeJob.Ended ended = job.run(engine, deadline);
        return NodeSweep.parseList(ended.log()).map(l -> new Listed(l, null)).orElseGet(() -> new Listed(List.of(),
                ended.problem() != null ? ended.problem() : ended.log().isEmpty() ? "its helper job ended without a list" : ended.log().getLast()));
    }

    static NodeJob job(Node node, String stack, String imageId, Duration grace, Duration budget) {
        return new NodeJob(NodeJob.name("sweep", node.id(), stack), node, imageId,
                List.of(NodeSweep.COMMAND, node.id(), stack, String.valueOf(grace.toMillis()), String.valueOf(budget.toMillis())),
                Map.of(), Map.of());
    }

    private static NodeSweep.Result problem(Node node, String why) {
        return new NodeSweep.Result(node.id(), List.of(), List.of(), why);
    }
}
