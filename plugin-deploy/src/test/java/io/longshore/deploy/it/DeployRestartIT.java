package io.longshore.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.longshore.testenv.EngineRestart;
import io.longshore.testenv.TestEnv;
import io.longshore.testenv.WatchedOutput;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The private engine restarted while the sample recipe converges: the deploy waits for the engine,
 * does not blame the app for the tasks the restart stopped, converges on the tasks swarm starts
 * again, passes its health check and tears the run down verified clean. Runs under the engine
 * lock; the environment is left healthy.
 */
class DeployRestartIT extends EngineStacksTest {
    @TempDir
    Path dir;

    @AfterEach
    void leaveTheEnvironmentHealthy() {
        EngineRestart.ensureHealthy(); // before the stacks are cleaned up (the superclass's @AfterEach runs after this one)
    }

    @Test
    void anEngineRestartWhileTheDeployConvergesIsWaitedForAndTheRunStillPassesAndEndsClean() throws Exception {
        String stack = newStack();
        int port = TestStacks.freePort();
        String bystander = engine.post("/secrets/create", Map.of("Name", stack + "-bystander", "Data", "eA==")).path("ID").asText();
        Map<String, String> settings = new HashMap<>();
        settings.put("PLUGIN_RECIPE", DeployIT.SAMPLE.toString());
        settings.put("PLUGIN_STACK", stack);
        settings.put("PLUGIN_ENV", "WEB_PORT=" + port + ",IMAGE=" + TestEnv.testImage());
        settings.put("PLUGIN_TIMEOUT", "90s");
        settings.put("PLUGIN_HEALTH_URL", "http://${DOMAIN}:" + port + "/health");
        settings.put("PLUGIN_RESOLVE", stack + ".localhost:" + port + ":127.0.0.1");
        settings.put("PLUGIN_HEALTH_TIMEOUT", "60s");
        AtomicReference<EngineRestart> restart = new AtomicReference<>();
        WatchedOutput out = new WatchedOutput().once(WatchedOutput.step("converge"), () -> restart.set(EngineRestart.begin()));

        try {
            DeployRun run = DeployRun.of(settings, dir, out);

            assertNotNull(restart.get(), "the engine was restarted as the deploy began to converge:\n" + run.output());
            EngineRestart.Outage outage = restart.get().awaitBack(Duration.ofSeconds(90));
            assertEquals(0, run.exitCode(), run.output());
            assertTrue(run.output().contains("deployed " + stack + ": " + stack + "_web 1/1 running, " + stack
                    + "_worker 1/1 running; healthy"), run.output());
            assertEquals(1, occurrences(run.output(), "went away ("), run.output());
            assertEquals(1, occurrences(run.output(), "is back after "), run.output());
            assertTrue(run.details().path("teardown").path("clean").asBoolean(), run.details().toString());
            assertEquals(List.of(), TestStacks.leftovers(engine, stack));
            engine.get("/secrets/" + bystander); // not the run's: untouched
            System.out.println("deploy with an engine restart during converge took " + run.took().toMillis() + " ms; outage "
                    + outage.total().toMillis() + " ms (stopping " + outage.stopping().toMillis() + " ms)");
        } finally {
            EngineRestart.ensureHealthy();
            engine.delete("/secrets/" + bystander);
        }
    }

    /** How often a phrase occurs in the output. */
    static int occurrences(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
