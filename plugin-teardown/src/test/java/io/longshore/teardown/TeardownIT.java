package io.longshore.teardown;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.longshore.kit.engine.Engine;
import io.longshore.kit.output.Events;
import io.longshore.kit.output.Report;
import io.longshore.kit.stack.Teardown;
import io.longshore.kit.wait.Deadline;
import io.longshore.testenv.TestEnv;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TeardownIT {
    static final Instant FAR = Instant.now().plus(Duration.ofDays(1));

    Engine engine;
    final List<String> stacks = new ArrayList<>();
    final List<Runnable> cleanups = new ArrayList<>();

    @BeforeEach
    void connect() {
        engine = Engine.connect(TestEnv.require()).ping();
    }

    @AfterEach
    void removeWhatThisTestCreated() throws InterruptedException {
        cleanups.forEach(c -> RunFixture.quietly(c));
        Teardown teardown = Teardown.on(engine, Events.none());
        for (String s : stacks) {
            teardown.run(s, Duration.ofSeconds(60));
        }
        engine.close();
    }

    String stack() {
        String s = RunFixture.uniqueStack("td");
        stacks.add(s);
        return s;
    }

    @Test
    void tearsDownARealRunCompletelyAndLeavesTheRunBesideItUntouched(@TempDir Path dir) throws Exception {
        RunFixture run = RunFixture.realistic(engine, stack(), FAR);
        RunFixture beside = RunFixture.realistic(engine, stack(), FAR);
        String unrelated = run.unrelatedSecret(run.stack + "-not-a-run-object");
        cleanups.add(() -> engine.delete("/secrets/" + unrelated));
        run.awaitRunning();
        beside.awaitRunning();
        Set<String> besideBefore = beside.objectIds();
        assertTrue(run.objects().stream().anyMatch(o -> o.name().equals(run.stack + "_x_v1")), "the external secret is found by prefix");

        Path report = dir.resolve("report.json");
        Plugins.Ran ran = Plugins.inJvm("--stack", run.stack, "--report", report.toString());

        assertEquals(0, ran.exitCode(), ran.output());
        assertEquals(List.of(), run.objects(), "nothing of the run is left");
        assertEquals(besideBefore, beside.objectIds(), "the run beside it is untouched");
        beside.awaitRunning();
        engine.get("/secrets/" + unrelated); // still there: neither labelled nor prefixed
        JsonNode details = Report.json().readTree(report.toFile()).path("details");
        assertEquals(0, details.path("residue").size());
        assertEquals(2, details.path("removed").path("services").size());
        assertEquals(List.of(run.stack + "_app_conf"), names(details.path("removed").path("configs")));
    }

    @Test
    void aVolumeStillInUseWhenVolumesAreRemovedGoesOnceItsContainerExits() throws Exception {
        RunFixture run = RunFixture.empty(engine, stack(), FAR);
        run.volume("data");
        run.secret("token", true);
        run.volumeHolder("data", 3);

        Plugins.Ran ran = Plugins.inJvm("--stack", run.stack, "--timeout", "60s");

        assertEquals(0, ran.exitCode(), ran.output());
        assertTrue(ran.output().contains("volume " + run.stack + "_data is still in use; retrying"), ran.output());
        assertEquals(List.of(), run.objects());
    }

    @Test
    void aServiceWhoseTaskCouldNeverBeScheduledGoesWithoutWaitingForTheDeadline() throws Exception {
        RunFixture run = RunFixture.empty(engine, stack(), FAR);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Name", run.stack + "_nowhere");
        body.put("Labels", run.labels());
        body.put("TaskTemplate", Map.of(
                "ContainerSpec", Map.of("Image", TestEnv.testImage(), "Command", List.of("sleep", "600")),
                "Placement", Map.of("Constraints", List.of("node.labels.longshore-nowhere==1"))));
        body.put("Mode", Map.of("ReplicatedJob", Map.of("MaxConcurrent", 1, "TotalCompletions", 1)));
        String id = engine.post("/services/create", body).path("ID").asText();
        cleanups.add(() -> engine.delete("/services/" + id));
        boolean pending = Deadline.in(Duration.ofSeconds(30)).await(() -> {
            for (var t : engine.get("/tasks")) {
                if (id.equals(t.path("ServiceID").asText()) && "pending".equals(t.path("Status").path("State").asText())) {
                    return true;
                }
            }
            return false;
        });
        assertTrue(pending, "the job's task never became pending");

        Instant start = Instant.now();
        Plugins.Ran ran = Plugins.inJvm("--stack", run.stack, "--timeout", "60s");

        assertEquals(0, ran.exitCode(), ran.output());
        assertEquals(List.of(), run.objects());
        Duration took = Duration.between(start, Instant.now());
        assertTrue(took.compareTo(Duration.ofSeconds(20)) < 0, "waited " + took + " for a task that never had a container");
    }

    @Test
    void whatCannotGoBeforeTheTimeoutIsListedAsResidueWithWhyAndExitsOne() throws Exception {
        RunFixture run = RunFixture.empty(engine, stack(), FAR);
        run.volume("data");
        String holder = run.volumeHolder("data", 600);
        cleanups.add(() -> engine.delete("/containers/" + holder + "?force=1"));

        Plugins.Ran ran = Plugins.inJvm("--stack", run.stack, "--timeout", "2s");

        assertEquals(1, ran.exitCode(), ran.output());
        String last = ran.output().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.contains("left 1 objects behind: volume " + run.stack + "_data: "), last);
        assertTrue(last.contains("in use"), last);
        assertTrue(last.endsWith("; the janitor reaps it after " + FAR.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)), last);
    }

    @Test
    void aDryRunPrintsThePlanAndChangesNothingAndTearingDownAGoneRunSucceeds() throws Exception {
        RunFixture run = RunFixture.empty(engine, stack(), FAR);
        run.network("default");
        run.secret("x_v1", false);
        run.volume("data");
        Set<String> before = run.objectIds();

        Plugins.Ran dry = Plugins.inJvm("--stack", run.stack, "--dry-run");
        assertEquals(0, dry.exitCode(), dry.output());
        assertTrue(dry.output().contains("networks (1):\n      " + run.stack + "_default  [label]"), dry.output());
        assertTrue(dry.output().contains(run.stack + "_x_v1  [prefix]"), dry.output());
        assertEquals(before, run.objectIds());

        assertEquals(0, Plugins.inJvm("--stack", run.stack).exitCode());
        Plugins.Ran again = Plugins.inJvm("--stack", run.stack);
        assertEquals(0, again.exitCode(), again.output());
        assertTrue(again.output().contains("run " + run.stack + " was already gone"), again.output());
    }

    static List<String> names(JsonNode array) {
        List<String> l = new ArrayList<>();
        array.forEach(n -> l.add(n.asText()));
        return l;
    }
}
