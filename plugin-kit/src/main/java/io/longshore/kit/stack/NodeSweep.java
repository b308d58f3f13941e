package io.longshore.kit.stack;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.longshore.kit.engine.Engine;
import io.longshore.kit.engine.EngineApiException;
import io.longshore.kit.run.UnreachableException;
import io.longshore.kit.wait.Deadline;
import io.longshore.kit.wait.Pace;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Removes and verifies a run's node-local objects on one engine: its containers (stopped with the
 * run's grace period, then removed) and its volumes, until none is listed or the deadline passes.
 * Teardown runs it in every helper job it places on another swarm node (the hidden
 * {@value #COMMAND} entry of every plugin image), after the run's services are gone.
 */
public final class NodeSweep {
    /** The hidden first argument that makes a plugin image run a node sweep instead of its job. */
    public static final String COMMAND = "--longshore-node-sweep";
    /** The line prefix of the sweep's result in the helper's output. */
    public static final String RESULT = "longshore-node-sweep-result: ";
    /** The hidden first argument that makes a plugin image list the node's longshore-labelled objects (for the janitor). */
    public static final String LIST = "--longshore-node-list";
    /** The line prefix of that list in the helper's output. */
    public static final String LISTED = "longshore-node-list-result: ";
    private static final Pace PACE = Pace.backoff(Duration.ofMillis(50), Duration.ofMillis(250));
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What one node still holds of the run after the sweep (empty: verified clean there), and what went. */
    public record Result(String nodeId, List<String> removed, List<Left> left, String problem) {
        public boolean clean() {
            return left.isEmpty() && problem == null;
        }
    }

    /** An object of the run still on the node. */
    public record Left(String kind, String name, String why) {}

    private NodeSweep() {}

    public static Result sweep(Engine engine, String nodeId, String stack, Duration grace, Deadline deadline)
            throws InterruptedException {
        RunFinder finder = new RunFinder(engine);
        Set<String> handled = ConcurrentHashMap.newKeySet();
        List<String> removed = java.util.Collections.synchronizedList(new ArrayList<>());
        Map<String, String> why = new ConcurrentHashMap<>();
        List<RunObject> last = new ArrayList<>();
        long t = Math.max(1, (grace.toMillis() + 999) / 1000);
        boolean clean = deadline.await(() -> {
            List<RunObject> now;
            try {
                now = RunObjects.select(stack, concat(finder.list(ObjectKind.CONTAINER), finder.list(ObjectKind.VOLUME))).objects();
            } catch (EngineApiException | UnreachableException e) {
                return false;
            }
            last.clear();
            last.addAll(now);
            boolean containers = now.stream().anyMatch(o -> o.kind() == ObjectKind.CONTAINER);
            for (RunObject o : now) {
                if (o.kind() == ObjectKind.CONTAINER && handled.add("stop " + o.id())) {
                    // Running or not, its service is gone: stop it within its grace period, then remove it.
                    Thread.startVirtualThread(() -> call(() -> {
                        engine.post("/containers/" + o.id() + "/stop?t=" + t, null);
                        engine.delete("/containers/" + o.id() + "?v=1&force=1");
                        removed.add(o.toString());
                    }, why, o, () -> handled.remove("stop " + o.id())));
                } else if (o.kind() == ObjectKind.VOLUME && !containers && handled.add("rm " + o.name())) {
                    Thread.startVirtualThread(() -> call(() -> {
                        engine.delete("/volumes/" + o.name());
                        removed.add(o.toString());
                    }, why, o, () -> handled.remove("rm " + o.name())));
                }
            }
            return now.isEmpty();
        }, PACE);
        List<Left> left = clean ? List.of() : last.stream().map(o -> new Left(o.kind().singular(), o.name(),
                why.getOrDefault(o.kind() + "/" + o.name(), o.kind() == ObjectKind.VOLUME
                        ? "still listed when the deadline passed (in use by a container that did not go?)"
                        : "its container was still stopping when the deadline passed"))).toList();
        return new Result(nodeId, List.copyOf(removed), left, null);
    }

    private static List<RunObject> concat(List<RunObject> a, List<RunObject> b) {
        List<RunObject> l = new ArrayList<>(a);
        l.addAll(b);
        return l;
    }

    /** One removal; 404 is done, anything else is noted and retried by a later poll. */
    private static void call(Runnable r, Map<String, String> why, RunObject o, Runnable retry) {
        try {
            r.run();
        } catch (EngineApiException e) {
            if (e.status() != 404) {
                why.put(o.kind() + "/" + o.name(), e.getMessage());
                retry.run();
            }
        } catch (RuntimeException e) {
            why.put(o.kind() + "/" + o.name(), String.valueOf(e.getMessage()));
            retry.run();
        }
    }

    /**
     * The helper's entry: {@code --longshore-node-sweep <node id> <stack> <grace ms> <timeout ms>},
     * against the engine at {@code DOCKER_HOST}. Refuses an engine that is not the node it was
     * placed for (a socket mounted from elsewhere would verify the wrong node). Prints one result
     * line; exits 0 when the node holds nothing of the run.
     */
    public static int helperMain(String[] args, Map<String, String> env, PrintStream out) {
        if (args.length == 2 && args[0].equals(LIST)) {
            return listMain(args[1], env, out);
        }
        if (args.length != 5) {
            out.println("usage: " + COMMAND + " <node id> <stack> <grace ms> <timeout ms>");
            return 2;
        }
        String nodeId = args[1];
        String stack = args[2];
        Result r;
        try (Engine engine = Engine.connect(env)) {
            String actual = engine.get("/info").path("Swarm").path("NodeID").asText("");
            if (!actual.equals(nodeId)) {
                r = new Result(nodeId, List.of(), List.of(), "the Docker socket mounted as " + env.getOrDefault("DOCKER_HOST", "?")
                        + " belongs to node " + (actual.isEmpty() ? "(not in a swarm)" : actual) + ", not to this node: set the node label "
                        + io.longshore.kit.engine.model.Node.DOCKER_SOCKET_LABEL + " to its socket's path");
            } else {
                r = sweep(engine, nodeId, stack, Duration.ofMillis(Long.parseLong(args[3])),
                        Deadline.in(Duration.ofMillis(Long.parseLong(args[4]))));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            r = new Result(nodeId, List.of(), List.of(), "interrupted");
        } catch (RuntimeException e) {
            r = new Result(nodeId, List.of(), List.of(), "the node's engine could not be asked: " + e.getMessage());
        }
        try {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("nodeId", r.nodeId());
            m.put("removed", r.removed());
            m.put("left", r.left());
            m.put("problem", r.problem());
            out.println(RESULT + JSON.writeValueAsString(m));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            out.println(RESULT + "{\"nodeId\":\"" + nodeId + "\",\"problem\":\"result not writable\"}");
        }
        out.flush();
        return r.clean() ? 0 : 1;
    }

    /**
     * The node's containers and volumes that carry {@code io.longshore.run} (what the janitor
     * groups into runs), as one line; exit 1 when the engine is not the node it was placed for.
     */
    static int listMain(String nodeId, Map<String, String> env, PrintStream out) {
        try (Engine engine = Engine.connect(env)) {
            if (!engine.get("/info").path("Swarm").path("NodeID").asText("").equals(nodeId)) {
                out.println("the Docker socket mounted belongs to another node than " + nodeId);
                return 1;
            }
            RunFinder finder = new RunFinder(engine);
            List<Map<String, Object>> listed = new ArrayList<>();
            for (ObjectKind kind : List.of(ObjectKind.CONTAINER, ObjectKind.VOLUME)) {
                for (RunObject o : finder.list(kind)) {
                    if (o.label(RunLabels.RUN) != null) {
                        listed.add(Map.of("kind", kind.singular(), "id", o.id(), "name", o.name(), "labels", o.labels()));
                    }
                }
            }
            out.println(LISTED + JSON.writeValueAsString(listed));
            out.flush();
            return 0;
        } catch (RuntimeException | com.fasterxml.jackson.core.JsonProcessingException e) {
            out.println("the node's engine could not be asked: " + e.getMessage());
            return 1;
        }
    }

    /** Reads a node list back; empty when the output carries none. */
    static java.util.Optional<List<RunObject>> parseList(List<String> lines) {
        for (String l : lines.reversed()) {
            int i = l.indexOf(LISTED);
            if (i < 0) {
                continue;
            }
            try {
                List<RunObject> out = new ArrayList<>();
                for (var n : JSON.readTree(l.substring(i + LISTED.length()))) {
                    Map<String, String> labels = new LinkedHashMap<>();
                    n.path("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
                    ObjectKind kind = "volume".equals(n.path("kind").asText()) ? ObjectKind.VOLUME : ObjectKind.CONTAINER;
                    out.add(new RunObject(kind, n.path("id").asText(), n.path("name").asText(), labels));
                }
                return java.util.Optional.of(out);
            } catch (java.io.IOException e) {
                return java.util.Optional.empty();
            }
        }
        return java.util.Optional.empty();
    }

    /** Reads a helper's result line back; empty when the output carries none. */
    static java.util.Optional<Result> parse(List<String> lines) {
        for (String l : lines.reversed()) {
            int i = l.indexOf(RESULT);
            if (i < 0) {
                continue;
            }
            try {
                var n = JSON.readTree(l.substring(i + RESULT.length()));
                List<String> removed = new ArrayList<>();
                n.path("removed").forEach(x -> removed.add(x.asText()));
                List<Left> left = new ArrayList<>();
                n.path("left").forEach(x -> left.add(new Left(x.path("kind").asText(), x.path("name").asText(), x.path("why").asText())));
                String problem = n.path("problem").isTextual() ? n.path("problem").asText() : null;
                return java.util.Optional.of(new Result(n.path("nodeId").asText(), removed, left, problem));
            } catch (java.io.IOException e) {
                return java.util.Optional.empty();
            }
        }
        return java.util.Optional.empty();
    }
}
