package io.longshore.kit.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.longshore.kit.engine.model.Node;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeAccessTest {
    static Node node(String id, String host, String availability, String state, Map<String, String> labels) {
        return new Node(id, host, "worker", availability, state, "10.0.0.1", false, labels);
    }

    @Test
    void asksTheConnectedEngineDirectlyEveryReadyActiveNodeByHelperAndNoOtherNode() {
        List<NodeAccess> access = NodeAccess.of(List.of(
                node("m", "manager", "active", "ready", Map.of()),
                node("w1", "worker1", "active", "ready", Map.of(Node.DOCKER_SOCKET_LABEL, "/run/w1/docker.sock")),
                node("w2", "worker2", "active", "down", Map.of()),
                node("w3", "worker3", "drain", "ready", Map.of()),
                node("w4", "worker4", "pause", "ready", Map.of())), "m");

        assertInstanceOf(NodeAccess.Local.class, access.get(0));
        assertEquals("/run/w1/docker.sock", assertInstanceOf(NodeAccess.ByHelper.class, access.get(1)).socket());
        assertTrue(assertInstanceOf(NodeAccess.Unreachable.class, access.get(2)).why().startsWith("node worker2 is down:"));
        assertTrue(assertInstanceOf(NodeAccess.Unreachable.class, access.get(3)).why().startsWith("node worker3 is drained:"));
        assertTrue(assertInstanceOf(NodeAccess.Unreachable.class, access.get(4)).why().startsWith("node worker4 is paused:"));
        assertEquals(1, NodeAccess.helped(access).size());
    }

    @Test
    void aNodeWithoutSocketLabelIsAskedThroughTheDefaultSocket() {
        assertEquals("/var/run/docker.sock", node("w", "w", "active", "ready", Map.of()).dockerSocket());
    }

    @Test
    void theHelperJobIsPinnedToItsNodeAndReferencesItsImageByIdSoNothingIsPulled() {
        Node w = node("abcdefghijklmnop", "w", "active", "ready", Map.of(Node.DOCKER_SOCKET_LABEL, "/run/x.sock"));
        Map<String, Object> spec = NodeHelper.job(w, "app-1", "sha256:0123", Duration.ofSeconds(10), Duration.ofSeconds(30)).spec();

        @SuppressWarnings("unchecked")
        Map<String, Object> task = (Map<String, Object>) spec.get("TaskTemplate");
        @SuppressWarnings("unchecked")
        Map<String, Object> container = (Map<String, Object>) task.get("ContainerSpec");
        assertEquals("sha256:0123", container.get("Image"));
        assertEquals(List.of(NodeSweep.COMMAND, "abcdefghijklmnop", "app-1", "10000", "30000"), container.get("Args"));
        assertEquals(List.of(Map.of("Type", "bind", "Source", "/run/x.sock", "Target", "/var/run/docker.sock")), container.get("Mounts"));
        assertEquals(List.of("DOCKER_HOST=unix:///var/run/docker.sock"), container.get("Env"));
        assertEquals(Map.of("Constraints", List.of("node.id==abcdefghijklmnop")), task.get("Placement"));
        assertEquals(Map.of("ReplicatedJob", Map.of("MaxConcurrent", 1, "TotalCompletions", 1)), spec.get("Mode"));
        assertEquals("longshore-sweep-abcdefghij-app-1", spec.get("Name"), "no run prefix: never part of the run");
    }

    @Test
    void readsTheHelpersResultBackFromItsLog() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // an engine nobody listens on: the helper reports it could not ask, as a result line
        int code = NodeSweep.helperMain(new String[] {NodeSweep.COMMAND, "n1", "app", "1000", "1000"},
                Map.of("DOCKER_HOST", "unix:///nonexistent/docker.sock"), new PrintStream(out, true, StandardCharsets.UTF_8));
        List<String> lines = List.of("some header", out.toString(StandardCharsets.UTF_8).trim());

        NodeSweep.Result r = NodeSweep.parse(lines).orElseThrow();
        assertEquals(1, code);
        assertEquals("n1", r.nodeId());
        assertTrue(r.problem().startsWith("the node's engine could not be asked"), r.problem());
    }

    @Test
    void readsANodesListOfLabelledObjectsBackAsRunObjects() {
        List<String> lines = List.of("==> header", NodeSweep.LISTED
                + "[{\"kind\":\"volume\",\"id\":\"app-1_data\",\"name\":\"app-1_data\",\"labels\":{\"io.longshore.run\":\"app-1\"}}]");

        List<RunObject> objects = NodeSweep.parseList(lines).orElseThrow();

        assertEquals(List.of(new RunObject(ObjectKind.VOLUME, "app-1_data", "app-1_data", Map.of("io.longshore.run", "app-1"))), objects);
        assertEquals("app-1", RunSummary.group(objects).getFirst().stack());
    }
}
