package io.longshore.teardown;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.longshore.kit.engine.Engine;
import io.longshore.kit.engine.model.Node;
import io.longshore.kit.output.Events;
import io.longshore.kit.stack.RunFinder;
import io.longshore.kit.stack.RunObject;
import io.longshore.kit.stack.RunSummary;
import io.longshore.kit.stack.Teardown;
import io.longshore.kit.wait.Deadline;
import io.longshore.testenv.TestEnv;
import io.longshore.testenv.TestSwarm;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Teardown and the janitor on the private two-node swarm (scripts/test-env nodes 2, started once
 * for this class): volumes and containers are node-local, so "verified clean" must mean both nodes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiNodeIT {
    static final Instant FAR = Instant.now().plus(Duration.ofDays(1));
    static final Map<String, Object> GLOBAL = Map.of("Global", Map.of());
    static TestSwarm swarm;

    Engine engine;
    Engine worker;
    final List<String> stacks = new ArrayList<>();

    @BeforeAll
    static void twoNodes() {
        TestEnv.require();
        swarm = TestSwarm.nodes(2);
    }

    @AfterAll
    static void oneNodeAgain() {
        if (swarm != null) {
            swarm.close();
        }
    }

    @BeforeEach
    void connect() {
        engine = Engine.connect(TestEnv.require()).ping();
        worker = swarm.engineOf(2);
    }

    @AfterEach
    void removeWhatThisTestCreated() throws InterruptedException {
        Teardown teardown = Teardown.on(engine, Events.none());
        for (String s : stacks) {
            // most tests leave nothing: a teardown (and its helper job) only for what is still there
            if (!objectsOn(engine, s).isEmpty() || !objectsOn(worker, s).isEmpty()) {
                teardown.run(s, Duration.ofSeconds(60));
            }
        }
        worker.close();
        engine.close();
    }

    RunFixture run(String prefix, Instant expires) {
        RunFixture f = RunFixture.empty(engine, RunFixture.uniqueStack(prefix), expires);
        stacks.add(f.stack);
        return f;
    }

    @Test
    @Order(1)
    void tearsDownAGlobalServiceWithANamedVolumeLeavingNothingOnEitherNode() throws Exception {
        RunFixture run = run("mn", FAR);
        run.service("data", List.of("sh", "-c", RunFixture.FAST_STOP), Duration.ofSeconds(10), null, "data", Map.of(), Map.of(),
                GLOBAL, List.of());
        awaitRunningOn(run, 2);
        assertEquals(List.of(run.stack + "_data"), volumesOf(worker, run.stack), "the worker holds the run's volume");

        Plugins.Ran ran = Plugins.inJvm("--stack", run.stack);

        assertEquals(0, ran.exitCode(), ran.output());
        assertTrue(ran.output().contains("node lshore-node2: nothing of run " + run.stack + " is left there"), ran.output());
        assertTrue(ran.output().contains("verified clean"), ran.output());
        assertEquals(List.of(), run.objects(), "nothing left on the manager");
        assertEquals(List.of(), objectsOn(worker, run.stack), "nothing left on the worker");
    }

    @Test
    @Order(2)
    void tearsDownAReplicatedServiceConstrainedToTheWorker() throws Exception {
        RunFixture run = run("mn", FAR);
        Node node2 = swarm.worker(2);
        run.service("db", List.of("sh", "-c", RunFixture.FAST_STOP), Duration.ofSeconds(10), null, "db", Map.of(), Map.of(),
                Map.of("Replicated", Map.of("Replicas", 1)), List.of("node.id==" + node2.id()));
        awaitRunningOn(run, 1);
        assertEquals(List.of(run.stack + "_db"), volumesOf(worker, run.stack), "its volume is on the worker only");
        assertEquals(List.of(), volumesOf(engine, run.stack));

        Plugins.Ran ran = Plugins.inJvm("--stack", run.stack);

        assertEquals(0, ran.exitCode(), ran.output());
        assertTrue(ran.output().contains("node lshore-node2: removed volume " + run.stack + "_db"), ran.output());
        assertEquals(List.of(), run.objects());
        assertEquals(List.of(), objectsOn(worker, run.stack));
    }

    @Test
    @Order(3)
    void theJanitorReapsAnExpiredRunOnBothNodes() throws Exception {
        RunFixture expired = run("mnjan", Instant.now().minus(Duration.ofHours(1)));
        expired.service("app", List.of("sh", "-c", RunFixture.FAST_STOP), Duration.ofSeconds(10), null, "data", Map.of(), Map.of(),
                GLOBAL, List.of());
        awaitRunningOn(expired, 2);
        List<String> protect = new ArrayList<>();
        for (RunSummary other : new RunFinder(engine).runs()) {
            if (!stacks.contains(other.stack())) {
                protect.add(other.stack()); // someone else's run on the shared engine
            }
        }
        List<String> args = new ArrayList<>(List.of("--janitor"));
        if (!protect.isEmpty()) {
            args.addAll(List.of("--protect", String.join(",", protect)));
        }

        Plugins.Ran ran = Plugins.inJvm(args.toArray(String[]::new));

        assertEquals(0, ran.exitCode(), ran.output());
        assertTrue(ran.output().contains("reap " + expired.stack + ": expired "), ran.output());
        assertEquals(List.of(), expired.objects());
        assertEquals(List.of(), objectsOn(worker, expired.stack), "the janitor reaped the worker's part too");
    }

    @Test
    @Order(4)
    void theJanitorFindsAnExpiredRunWhoseOnlyRemainsAreAVolumeOnTheWorker() throws Exception {
        RunFixture onlyThere = run("mnleft", Instant.now().minus(Duration.ofHours(1)));
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("Name", onlyThere.stack + "_data");
        body.put("Labels", onlyThere.labels());
        worker.post("/volumes/create", body);
        assertEquals(List.of(), onlyThere.objects(), "the manager knows nothing of it");
        List<String> args = new ArrayList<>(List.of("--janitor"));
        List<String> protect = new ArrayList<>();
        for (RunSummary other : new RunFinder(engine).runs()) {
            protect.add(other.stack()); // every run the manager sees is someone else's here
        }
        if (!protect.isEmpty()) {
            args.addAll(List.of("--protect", String.join(",", protect)));
        }

        Plugins.Ran ran = Plugins.inJvm(args.toArray(String[]::new));

        assertEquals(0, ran.exitCode(), ran.output());
        assertTrue(ran.output().contains("reap " + onlyThere.stack + ": expired "), ran.output());
        assertEquals(List.of(), objectsOn(worker, onlyThere.stack), "reaped on the worker");
    }

    @Test
    @Order(5)
    void aWorkerThatIsDownDuringTeardownIsResidueNamingItAndExitOne() throws Exception {
        RunFixture run = run("mndown", FAR);
        run.service("data", List.of("sh", "-c", RunFixture.FAST_STOP), Duration.ofSeconds(10), null, "data", Map.of(), Map.of(),
                GLOBAL, List.of());
        awaitRunningOn(run, 2);
        swarm.stop(2);
        try {
            Plugins.Ran ran = Plugins.inJvm("--stack", run.stack, "--timeout", "10s");

            assertEquals(1, ran.exitCode(), ran.output());
            assertTrue(ran.output().contains("lshore-node2"), ran.output());
            assertTrue(!ran.output().contains("verified clean"), ran.output());
            assertEquals(List.of(), run.objects(), "the manager's part is gone all the same");
        } finally {
            swarm.restart(2);
        }
        worker.close();
        worker = swarm.engineOf(2);
        assertEquals(List.of(run.stack + "_data"), volumesOf(worker, run.stack), "the volume it could not reach is still there");

        Plugins.Ran again = Plugins.inJvm("--stack", run.stack);
        assertEquals(0, again.exitCode(), again.output());
        assertEquals(List.of(), objectsOn(worker, run.stack), "a teardown once the node is back clears it");
    }

    /** Waits until the run's services have {@code tasks} running tasks (each mounting its volume on its node). */
    private void awaitRunningOn(RunFixture run, int tasks) throws InterruptedException {
        boolean up = Deadline.in(Duration.ofSeconds(90)).await(() -> {
            int running = 0;
            for (String id : run.services) {
                String filter = URLEncoder.encode("{\"service\":[\"" + id + "\"],\"desired-state\":[\"running\"]}", StandardCharsets.UTF_8);
                for (JsonNode t : engine.get("/tasks?filters=" + filter)) {
                    running += "running".equals(t.path("Status").path("State").asText()) ? 1 : 0;
                }
            }
            return running >= tasks;
        });
        if (!up) {
            throw new AssertionError("the services of " + run.stack + " did not reach " + tasks + " running tasks within 90s");
        }
    }

    private static List<String> volumesOf(Engine e, String stack) {
        return objectsOn(e, stack).stream().filter(o -> o.kind() == io.longshore.kit.stack.ObjectKind.VOLUME).map(RunObject::name).toList();
    }

    private static List<RunObject> objectsOn(Engine e, String stack) {
        return new RunFinder(e).find(stack).objects();
    }
}
