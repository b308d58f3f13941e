package io.longshore.prune.gate;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.longshore.kit.engine.model.Service;
import io.longshore.kit.engine.model.Task;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A service as the engine lists it: ID, name, labels and the state of its last update (null: never updated). */
    private static Service service(String id, String name, Map<String, String> labels, String update) {
        Map<String, Object> n = new java.util.LinkedHashMap<>();
        n.put("ID", id);
        n.put("Spec", Map.of("Name", name, "Labels", labels, "Mode", Map.of("Replicated", Map.of("Replicas", 1))));
        if (update != null) {
            n.put("UpdateStatus", Map.of("State", update));
        }
        return Service.from(JSON.valueToTree(n));
    }

    private static Task task(String id, String serviceId, String state, String desired) {
        return Task.from(JSON.valueToTree(Map.of("ID", id, "ServiceID", serviceId, "DesiredState", desired, "Status", Map.of("State", state))));
    }
    static final DiskUsage HALF_FULL = new DiskUsage(Path.of("/var/lib/docker"), 100, 50, 50);

    @Test
    void diskGateOpensOnlyAtOrAboveTheThreshold() {
        assertTrue(Gates.disk(HALF_FULL, 50, false).open());
        GateResult closed = Gates.disk(HALF_FULL, 80, false);
        assertFalse(closed.open());
        assertTrue(closed.reason().contains("50.0% full"), closed.reason());
        assertTrue(closed.reason().contains("threshold 80%"), closed.reason());
    }

    @Test
    void forceSkipsOnlyTheDiskGate() {
        assertTrue(Gates.disk(HALF_FULL, 80, true).open());
    }

    @Test
    void aServiceWithRunOrStackLabelsIsALiveRun() {
        List<Service> services = List.of(
                service("1", "app_web", Map.of("io.longshore.run", "app-1a2b3c"), null),
                service("2", "proxy_traefik", Map.of("com.docker.stack.namespace", "proxy"), null),
                service("3", "standalone", Map.of(), null));
        GateResult closed = Gates.liveRuns(services, List.of());
        assertFalse(closed.open());
        assertTrue(closed.reason().contains("app-1a2b3c") && closed.reason().contains("proxy"), closed.reason());
        assertFalse(Gates.liveRuns(services, List.of("proxy")).open());
        assertTrue(Gates.liveRuns(services, List.of("proxy", "app-*")).open());
    }

    @Test
    void aStartingTaskOrAnUpdatingServiceClosesTheConvergingGate() {
        List<Service> services = List.of(service("s1", "web", Map.of(), null));
        assertTrue(Gates.converging(services, List.of(task("t", "s1", "running", "running"),
                task("u", "s1", "complete", "shutdown"))).open());
        GateResult preparing = Gates.converging(services, List.of(task("t", "s1", "preparing", "running")));
        assertFalse(preparing.open());
        assertTrue(preparing.reason().contains("web (preparing)"), preparing.reason());
        assertFalse(Gates.converging(List.of(service("s1", "web", Map.of(), "rollback_started")), List.of()).open());
        assertTrue(Gates.converging(List.of(service("s1", "web", Map.of(), "completed")), List.of()).open());
    }

    @Test
    void pendingTasksOfARemovedServiceDoNotCountAsConverging() {
        List<Service> services = List.of(service("s1", "web", Map.of(), null));
        assertTrue(Gates.converging(services, List.of(task("orphan", "gone", "pending", "complete"))).open());
    }
}
