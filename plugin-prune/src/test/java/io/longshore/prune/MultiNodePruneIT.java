package io.longshore.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import io.longshore.kit.engine.Engine;
import io.longshore.kit.run.Launcher;
import io.longshore.kit.run.ShutdownHooks;
import io.longshore.testenv.TestEnv;
import io.longshore.testenv.TestSwarm;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Prune on the private two-node swarm: disk pressure is a node's, so each node computes its own
 * gates and plan, the dry run shows both, and only the node under pressure is pruned.
 */
class MultiNodePruneIT {
    static TestSwarm swarm;

    @BeforeAll
    static void twoNodesOneUnderPressure() throws Exception {
        TestEnv.require();
        swarm = TestSwarm.nodes(2);
        swarm.fillDisk(2);
    }

    @AfterAll
    static void oneNodeAgain() {
        if (swarm != null) {
            swarm.close();
        }
    }

    record Result(int exitCode, String output) {}

    static Result prune(boolean dryRun) {
        Map<String, String> env = new HashMap<>();
        env.put("DOCKER_HOST", TestEnv.dockerHost());
        env.put("PLUGIN_PATH", "/var/lib/longshore-test");
        env.put("PLUGIN_THRESHOLD", "80");
        env.put("PLUGIN_UNTIL", "0s");
        env.put("PLUGIN_DRY_RUN", String.valueOf(dryRun));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int code = new Launcher(env, out, out, new ShutdownHooks(m -> {})).execute(new PruneCommand(), new String[0]);
        return new Result(code, bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theDryRunShowsBothNodesPlansAndThePruneActsOnlyOnTheNodeUnderPressure() throws Exception {
        String prefix = "prune-mn-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(2);
        try (Engine manager = Engine.connect(TestEnv.require()).ping(); Engine worker = swarm.engineOf(2)) {
            String onWorker = stopped(worker.docker(), prefix + "-w");
            String onManager = stopped(manager.docker(), prefix + "-m");
            try {
                // until=0s cuts at the node part's own "now", to the whole second: the worker's container
                // counts as older only once a second boundary has passed since it was made.
                Instant made = Instant.parse(worker.docker().inspectContainerCmd(onWorker).exec().getCreated());
                PruneIT.waitFor("a whole second to pass since the worker's container was made", Duration.ofSeconds(5),
                        () -> Instant.now().truncatedTo(ChronoUnit.SECONDS).isAfter(made));
                Result dry = prune(true);
                assertEquals(0, dry.exitCode(), dry.output());
                assertTrue(dry.output().contains("closed  disk:"), "the manager's disk is not under pressure:\n" + dry.output());
                assertTrue(dry.output().indexOf("containers: ") < dry.output().lastIndexOf("containers: "), "a plan per node:\n" + dry.output());
                assertTrue(dry.output().contains("node lshore-node2"), dry.output());
                assertTrue(dry.output().contains("| ") && dry.output().contains(onWorker.substring(0, 12)),
                        "the worker's plan lists its stopped container:\n" + dry.output());
                assertTrue(exists(worker.docker(), onWorker) && exists(manager.docker(), onManager), "a dry run removes nothing");

                Result ran = prune(false);
                assertEquals(0, ran.exitCode(), ran.output());
                assertTrue(ran.output().contains("node lshore-node2: pruned "), ran.output());
                assertTrue(!exists(worker.docker(), onWorker), "the node under pressure was pruned:\n" + ran.output());
                assertTrue(exists(manager.docker(), onManager), "the node below its threshold was not:\n" + ran.output());
            } finally {
                remove(worker.docker(), onWorker);
                remove(manager.docker(), onManager);
            }
        }
    }

    private static String stopped(DockerClient docker, String name) {
        return docker.createContainerCmd(TestEnv.testImage()).withName(name).withCmd("true").exec().getId();
    }

    private static boolean exists(DockerClient docker, String id) {
        try {
            docker.inspectContainerCmd(id).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    private static void remove(DockerClient docker, String id) {
        try {
            docker.removeContainerCmd(id).withForce(true).exec();
        } catch (RuntimeException e) {
            // pruned already
        }
    }
}
