package io.longshore.kit.node;

import io.longshore.kit.engine.Engine;
import io.longshore.kit.engine.EngineApiException;
import io.longshore.kit.engine.Filter;
import io.longshore.kit.engine.model.Node;
import io.longshore.kit.engine.model.Task;
import io.longshore.kit.run.UnreachableException;
import io.longshore.kit.wait.Deadline;
import io.longshore.kit.wait.Pace;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A short job on one other swarm node, so a plugin can reach what is node-local there (volumes,
 * containers, the disk): one task pinned to the node ({@code node.id==...}) of an image referenced
 * by its ID (swarm never pulls an image referenced by ID), with the node's Docker socket mounted
 * and {@code DOCKER_HOST} pointing at it. Its output comes back from the task's log; the job is
 * removed once it has ended, however it ended.
 */
public record NodeJob(String name, Node node, String imageId, List<String> args, Map<String, String> env,
                      Map<String, String> readOnlyMounts) {
    /** The label that marks a helper job (it carries no run label nor a run's name prefix). */
    public static final String HELPER_LABEL = "io.longshore.helper";
    private static final Pace PACE = Pace.backoff(Duration.ofMillis(50), Duration.ofMillis(250));

    /** How the job ended: its exit code (null when its task never ran) and its output, or why it did not. */
    public record Ended(Integer exitCode, List<String> log, String problem) {}

    /** A name no run claims: {@code longshore-<what>-<node>-<stack>}, at most 63 characters. */
    public static String name(String what, String nodeId, String stack) {
        String s = "longshore-" + what + "-" + (nodeId.length() > 10 ? nodeId.substring(0, 10) : nodeId) + "-" + stack;
        return s.length() > 63 ? s.substring(0, 63) : s;
    }

    /** The job's {@code POST /services/create} body (pure). */
    public Map<String, Object> spec() {
        Map<String, Object> container = new LinkedHashMap<>();
        container.put("Image", imageId);
        container.put("Args", args);
        List<String> e = new java.util.ArrayList<>(List.of("DOCKER_HOST=unix:///var/run/docker.sock"));
        env.forEach((k, v) -> e.add(k + "=" + v));
        container.put("Env", e);
        List<Object> mounts = new java.util.ArrayList<>();
        mounts.add(Map.of("Type", "bind", "Source", node.dockerSocket(), "Target", "/var/run/docker.sock"));
        readOnlyMounts.forEach((src, target) -> mounts.add(Map.of("Type", "bind", "Source", src, "Target", target, "ReadOnly", true)));
        container.put("Mounts", mounts);
        Map<String, Object> task = new LinkedHashMap<>();
        task.put("ContainerSpec", container);
        task.put("Placement", Map.of("Constraints", List.of("node.id==" + node.id())));
        task.put("RestartPolicy", Map.of("Condition", "none"));
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("Name", name);
        spec.put("Labels", Map.of(HELPER_LABEL, name));
        spec.put("TaskTemplate", task);
        spec.put("Mode", Map.of("ReplicatedJob", Map.of("MaxConcurrent", 1, "TotalCompletions", 1)));
        return spec;
    }

    /** Runs the job on the manager {@code engine} until it ends or {@code deadline} passes. */
    public Ended run(Engine engine, Deadline deadline) throws InterruptedException {
        String serviceId;
        try {
            serviceId = engine.post("/services/create", spec()).path("ID").asText();
        } catch (EngineApiException | UnreachableException e) {
            return new Ended(null, List.of(), "its helper job could not be created: " + e.getMessage());
        }
        try {
            Optional<Task> ended = deadline.poll(() -> {
                try {
                    return engine.read().tasks(Filter.service(serviceId)).stream().filter(t -> t.state().ended()).findFirst();
                } catch (EngineApiException | UnreachableException e) {
                    return Optional.empty();
                }
            }, PACE);
            if (ended.isEmpty()) {
                return new Ended(null, List.of(), "its helper job did not finish before the deadline (is the node reachable?)");
            }
            Task t = ended.get();
            List<String> log = engine.read().taskLogs(t.id(), 0);
            String problem = t.exitCode() == null || log.isEmpty() && !t.reason().isEmpty()
                    ? "its helper job ended " + t.state() + (t.reason().isEmpty() ? "" : ": " + t.reason()) : null;
            return new Ended(t.exitCode(), log, problem);
        } finally {
            try {
                engine.delete("/services/" + serviceId);
            } catch (EngineApiException | UnreachableException e) {
                // gone already, or left with its helper label and no run's: harmless
            }
        }
    }
}
