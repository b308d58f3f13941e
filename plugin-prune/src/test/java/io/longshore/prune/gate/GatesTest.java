package io.longshore.prune.gate;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.longshore.prune.gate.Gates.ServiceInfo;
import io.longshore.prune.gate.Gates.TaskInfo;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatesTest {
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
        List<ServiceInfo> services = List.of(
                new ServiceInfo("1", "app_web", Map.of("io.longshore.run", "app-1a2b3c"), null),
                new ServiceInfo("2", "proxy_traefik", Map.of("com.docker.stack.namespace", "proxy"), null),
                new ServiceInfo("3", "standalone", Map.of(), null));
        GateResult closed = Gates.liveRuns(services, List.of());
        assertFalse(closed.open());
        assertTrue(closed.reason().contains("app-1a2b3c") && closed.reason().contains("proxy"), closed.reason());
        assertFalse(Gates.liveRuns(services, List.of("proxy")).open());
        assertTrue(Gates.liveRuns(services, List.of("proxy", "app-*")).open());
    }

    @Test
    void aStartingTaskOrAnUpdatingServiceClosesTheConvergingGate() {
        List<ServiceInfo> services = List.of(new ServiceInfo("s1", "web", Map.of(), null));
        assertTrue(Gates.converging(services, List.of(new TaskInfo("t", "s1", "running", "running"),
                new TaskInfo("u", "s1", "complete", "shutdown"))).open());
        GateResult preparing = Gates.converging(services, List.of(new TaskInfo("t", "s1", "preparing", "running")));
        assertFalse(preparing.open());
        assertTrue(preparing.reason().contains("web (preparing)"), preparing.reason());
        assertFalse(Gates.converging(List.of(new ServiceInfo("s1", "web", Map.of(), "rollback_started")), List.of()).open());
        assertTrue(Gates.converging(List.of(new ServiceInfo("s1", "web", Map.of(), "completed")), List.of()).open());
    }
}
