package io.longshore.kit.stack;

import com.fasterxml.jackson.databind.JsonNode;
import io.longshore.kit.engine.Engine;
import io.longshore.kit.engine.EngineApiException;
import io.longshore.kit.engine.Filter;
import io.longshore.kit.engine.model.Node;
import io.longshore.kit.engine.model.Task;
import io.longshore.kit.run.PluginInfo;
import io.longshore.kit.run.UnreachableException;
import io.longshore.kit.wait.Deadline;
import io.longshore.kit.wait.Pace;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs {@link NodeSweep} on another swarm node: a one-task replicated job pinned to the node
 * ({@code node.id==...}), from an image already on the nodes referenced by its ID (swarm never
 * pulls an image referenced by ID), with the node's Docker socket mounted. Its result comes back
 * in the task's log; the job is removed once it has ended.
 *
 * <p>The image: the {@code helper_image} setting when given; else the image this plugin runs from
 * (its own container, when it runs in one); else {@code longshore/teardown} of this version or
 * {@code latest}, when the manager has it. Any longshore plugin image can serve: the sweep is a
 * hidden entry of every plugin's launcher.
 */
public final class NodeHelper {
    /** The label that marks a helper job (never part of a run: it carries no run label nor prefix). */
    public static final String HELPER_LABEL = "io.longshore.helper";
    private static final Pace PACE = Pace.backoff(Duration.ofMillis(50), Duration.ofMillis(250));
    /** What the job is given beyond the sweep's own deadline, to start and to report. */
    private static final Duration MARGIN = Duration.ofSeconds(5);

    private final Engine engine;
    private final String configured;
    private volatile Optional<String> image;

    /** {@code configured}: the helper_image setting, or null to find the image as the class comment says. */
    public NodeHelper(Engine engine, String configured) {
        this.engine = engine;
        this.configured = configured == null || configured.isBlank() ? null : configured.trim();
    }

    /** The helper image's ID on the manager, or why there is none. */
    synchronized Optional<String> imageId() {
        if (image == null) {
            image = resolve();
        }
        return image;
    }

    String imageDescription() {
        return configured != null ? configured : "the plugin's own image";
    }

    private Optional<String> resolve() {
        if (configured != null) {
            return inspect(configured);
        }
        String self = System.getenv("HOSTNAME");
        if (self != null && !self.isBlank()) {
            try {
                String id = engine.get("/containers/" + self + "/json").path("Image").asText("");
                if (!id.isEmpty()) {
                    return Optional.of(id);
                }
            } catch (EngineApiException e) {
                // not in a container on this engine: fall back to the teardown image
            }
        }
        return inspect("longshore/teardown:" + PluginInfo.version()).or(() -> inspect("longshore/teardown:latest"));
    }

    private Optional<String> inspect(String ref) {
        try {
            return Optional.of(engine.get("/images/" + ref + "/json").path("Id").asText()).filter(s -> !s.isEmpty());
        } catch (EngineApiException e) {
            return Optional.empty();
        }
    }

    /** Sweeps run {@code stack} off {@code node} by a helper job; the node's result, or a problem naming it. */
    public NodeSweep.Result sweep(Node node, String stack, Duration grace, Deadline deadline) throws InterruptedException {
        Optional<String> img = imageId();
        if (img.isEmpty()) {
            return problem(node, "no helper image to ask it with (" + imageDescription()
                    + " is not on the manager): set PLUGIN_HELPER_IMAGE to a longshore plugin image present on every node");
        }
        Duration budget = deadline.remaining().minus(MARGIN);
        if (budget.compareTo(Duration.ofSeconds(1)) < 0) {
            budget = Duration.ofSeconds(1);
        }
        String name = jobName(stack, node.id());
        Map<String, Object> spec = spec(name, node, stack, img.get(), grace, budget);
        String serviceId;
        try {
            serviceId = engine.post("/services/create", spec).path("ID").asText();
        } catch (EngineApiException | UnreachableException e) {
            return problem(node, "its helper job could not be created: " + e.getMessage());
        }
        try {
            Optional<Task> ended = deadline.poll(() -> {
                try {
                    return engine.read().tasks(Filter.service(serviceId)).stream()
                            .filter(t -> t.state().ended()).findFirst();
                } catch (EngineApiException | UnreachableException e) {
                    return Optional.empty();
                }
            }, PACE);
            if (ended.isEmpty()) {
                return problem(node, "its helper job did not finish before the deadline (is the node reachable?)");
            }
            Task t = ended.get();
            List<String> log = engine.read().taskLogs(t.id(), 50);
            return NodeSweep.parse(log).orElseGet(() -> problem(node, "its helper job ended (" + t.state()
                    + (t.reason().isEmpty() ? "" : ": " + t.reason()) + ") without a result"
                    + (log.isEmpty() ? "" : "; last output: " + log.getLast())));
        } finally {
            try {
                engine.delete("/services/" + serviceId);
            } catch (EngineApiException | UnreachableException e) {
                // 404: gone already; otherwise it carries the helper label and no run: harmless, and named in logs
            }
        }
    }

    private static NodeSweep.Result problem(Node node, String why) {
        return new NodeSweep.Result(node.id(), List.of(), List.of(), why);
    }

    static String jobName(String stack, String nodeId) {
        String s = "longshore-sweep-" + (nodeId.length() > 10 ? nodeId.substring(0, 10) : nodeId) + "-" + stack;
        return s.length() > 63 ? s.substring(0, 63) : s;
    }

    /** The job's {@code POST /services/create} body (pure). */
    static Map<String, Object> spec(String name, Node node, String stack, String imageId, Duration grace, Duration budget) {
        Map<String, Object> container = new LinkedHashMap<>();
        container.put("Image", imageId);
        container.put("Args", List.of(NodeSweep.COMMAND, node.id(), stack, String.valueOf(grace.toMillis()),
                String.valueOf(budget.toMillis())));
        container.put("Env", List.of("DOCKER_HOST=unix:///var/run/docker.sock"));
        container.put("Mounts", List.of(Map.of("Type", "bind", "Source", node.dockerSocket(), "Target", "/var/run/docker.sock")));
        Map<String, Object> task = new LinkedHashMap<>();
        task.put("ContainerSpec", container);
        task.put("Placement", Map.of("Constraints", List.of("node.id==" + node.id())));
        task.put("RestartPolicy", Map.of("Condition", "none"));
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("Name", name);
        spec.put("Labels", Map.of(HELPER_LABEL, "node-sweep", HELPER_LABEL + ".stack", stack));
        spec.put("TaskTemplate", task);
        spec.put("Mode", Map.of("ReplicatedJob", Map.of("MaxConcurrent", 1, "TotalCompletions", 1)));
        return spec;
    }
}
