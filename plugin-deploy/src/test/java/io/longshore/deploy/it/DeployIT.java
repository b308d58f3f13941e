package io.longshore.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.longshore.kit.lock.HostLock;
import io.longshore.kit.stack.RunLabels;
import java.time.Instant;
import io.longshore.testenv.TestEnv;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sample recipe end to end on the private engine: deploy, converge, health, teardown, nothing left. */
class DeployIT extends EngineStacksTest {
    static final Path SAMPLE = Path.of("..", "samples", "recipes", "web").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private Map<String, String> sample(String stack, int port) {
        Map<String, String> m = new HashMap<>();
        m.put("PLUGIN_RECIPE", SAMPLE.toString());
        m.put("PLUGIN_STACK", stack);
        m.put("PLUGIN_ENV", "WEB_PORT=" + port + ",IMAGE=" + TestEnv.testImage());
        m.put("PLUGIN_TIMEOUT", "90s");
        return m;
    }

    @Test
    void deploysTheSampleRecipeChecksHealthThroughAHostPortAndTearsItAllDown() throws Exception {
        String stack = newStack();
        int port = TestStacks.freePort();
        // an orphan of a run that expired an hour ago: the janitor reaps it before the deploy
        String orphan = newStack();
        Instant past = Instant.now().minus(Duration.ofHours(2));
        ObjectNode net = new ObjectMapper().createObjectNode().put("Name", orphan + "_default").put("Driver", "overlay");
        RunLabels.of(orphan, past, past.plus(Duration.ofHours(1)), null).forEach(net.putObject("Labels")::put);
        engine.post("/networks/create", net);
        String lock = "lsdt-lock-" + stack;
        Map<String, String> settings = sample(stack, port);
        settings.put("PLUGIN_LOCK", lock);
        settings.put("PLUGIN_HEALTH_URL", "http://${DOMAIN}:" + port + "/health");
        settings.put("PLUGIN_RESOLVE", stack + ".localhost:" + port + ":127.0.0.1");
        settings.put("PLUGIN_HEALTH_TIMEOUT", "30s");
        DeployRun run = DeployRun.of(settings, dir);
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("deployed " + stack + ": " + stack + "_web 1/1 running, " + stack + "_worker 1/1 running; healthy"),
                run.output());
        assertEquals(200, run.details().path("health").path("lastStatus").asInt());
        assertEquals("ok", run.details().path("health").path("lastBody").asText());
        assertTrue(run.details().path("teardown").path("clean").asBoolean(), run.details().toString());
        assertTrue(run.details().path("created").toString().contains("secret " + stack + "_db_password_v1"), run.details().toString());
        assertEquals(List.of(), TestStacks.leftovers(engine, stack));
        assertTrue(run.output().contains("reap " + orphan), run.output());
        assertEquals(List.of(), TestStacks.leftovers(engine, orphan));
        assertTrue(run.output().contains("took lock " + lock), run.output());
        assertTrue(HostLock.on(engine).current(lock).isEmpty(), "the lock is released");
    }

    @Test
    void aDryRunPrintsEveryObjectWithItsSpecAndCreatesNothing() throws Exception {
        String stack = newStack();
        Map<String, String> settings = sample(stack, TestStacks.freePort());
        settings.put("PLUGIN_DRY_RUN", "true");
        DeployRun run = DeployRun.of(settings, dir);
        assertEquals(0, run.exitCode(), run.output());
        for (String name : List.of(stack + "_backend", stack + "_db_password_v1", stack + "_index", stack + "_health",
                stack + "_data", stack + "_web", stack + "_worker")) {
            assertTrue(run.output().contains("\"name\" : \"" + name + "\""), name + " missing in\n" + run.output());
        }
        assertTrue(run.output().contains("\"TaskTemplate\""), run.output());
        assertEquals(List.of(), TestStacks.leftovers(engine, stack));
    }

    @Test
    void sigtermWhileConvergingLeavesNothingBehind() throws Exception {
        String stack = newStack();
        Path recipe = Files.createDirectories(dir.resolve("slow"));
        // a healthcheck that has not passed yet keeps the task starting: the deploy waits in converge
        Files.writeString(recipe.resolve("compose.yml"), """
                services:
                  app:
                    image: ${IMAGE}
                    command: ["sleep", "3600"]
                    init: true
                    stop_grace_period: 1s
                    healthcheck: {test: ["CMD", "false"], interval: 1m, retries: 3}
                    volumes: ["data:/data"]
                volumes:
                  data: {}
                """);
        Map<String, String> env = new HashMap<>(TestEnv.require());
        env.entrySet().removeIf(e -> e.getKey().startsWith("PLUGIN_"));
        env.put("PLUGIN_RECIPE", recipe.toString());
        env.put("PLUGIN_STACK", stack);
        env.put("PLUGIN_ENV", "IMAGE=" + TestEnv.testImage());
        env.put("PLUGIN_TIMEOUT", "5m");
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-jar", Path.of("target", "plugin-deploy.jar").toAbsolutePath().toString())
                .redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread pump = Thread.ofVirtual().start(() -> {
            try (InputStream in = p.getInputStream()) {
                in.transferTo(out);
            } catch (Exception e) {
                // the process ended
            }
        });
        boolean converging = TestStacks.waitUntil(Duration.ofSeconds(60),
                () -> out.toString(StandardCharsets.UTF_8).contains(stack + "_app 0/1 starting"));
        assertTrue(converging, out.toString(StandardCharsets.UTF_8));
        p.toHandle().destroy(); // SIGTERM, as a cancelled pipeline sends (Process.destroy() would also close our end of its output)
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "deploy did not end after SIGTERM:\n" + out);
        pump.join(5_000);
        String output = out.toString(StandardCharsets.UTF_8);
        assertTrue(output.contains("on exit: tear down run " + stack), "exit " + p.exitValue() + ":\n" + output);
        assertEquals(List.of(), TestStacks.leftovers(engine, stack), output);
    }
}
