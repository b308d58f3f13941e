package io.longshore.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.longshore.testenv.TestEnv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Host-mode ports on the private engine: a stop-first update whose old container keeps the port
 * for a stop grace longer than any fixed grace is waited out every time, and a port another stack
 * holds fails the deploy in seconds, naming that stack's service.
 */
class HostPortIT extends EngineStacksTest {
    /** Stop grace of the old release: longer than the 10 s a fixed grace used to allow. */
    private static final Duration GRACE = Duration.ofSeconds(11);
    private static final int UPGRADES = 5;

    @TempDir
    Path dir;

    /**
     * Two services on host-mode ports. In the old release busybox httpd is PID 1, which ignores
     * SIGTERM, so each old container holds its port for its whole stop grace and is then killed;
     * the new release runs it under an init, so clearing the run between stages is quick. A short
     * update monitor (the engine's default is 5 s) keeps each stage to the grace and a little.
     */
    private static String recipe(String version, int webPort, int apiPort) {
        String service = """
                  %s:
                    image: ${IMAGE}
                    command: ["httpd", "-f", "-p", "8080"]
                    init: %s
                    stop_grace_period: %ds
                    environment:
                      APP_VERSION: "%s"
                    ports:
                      - {target: 8080, published: %d, mode: host}
                    deploy:
                      update_config: {monitor: 1s}
                """;
        boolean init = !version.equals("1");
        return "services:\n" + service.formatted("web", init, GRACE.toSeconds(), version, webPort)
                + service.formatted("api", init, GRACE.toSeconds(), version, apiPort);
    }

    /** A recipe repository released as 1.0.0+1.0 and then as 1.1.0+2.0 (the workspace); returns the recipe dir. */
    private Path repository(String v1, String v2) throws Exception {
        Path repo = dir.resolve("repo");
        Path recipe = Files.createDirectories(repo.resolve("recipes/app"));
        try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
            for (String[] release : List.of(new String[] {"1.0.0+1.0", v1}, new String[] {"1.1.0+2.0", v2})) {
                Files.writeString(recipe.resolve("compose.yml"), release[1]);
                git.add().addFilepattern(".").call();
                git.commit().setMessage("release " + release[0]).setAuthor("t", "t@example.invalid")
                        .setCommitter("t", "t@example.invalid").setSign(false).call();
                git.tag().setName(release[0]).setAnnotated(true).setMessage(release[0]).setSigned(false).call();
            }
        }
        return recipe;
    }

    private static Map<String, String> settings(Path recipe, String stack) {
        Map<String, String> m = new HashMap<>();
        m.put("PLUGIN_RECIPE", recipe.toString());
        m.put("PLUGIN_STACK", stack);
        m.put("PLUGIN_ENV", "IMAGE=" + TestEnv.testImage());
        m.put("PLUGIN_TIMEOUT", "90s");
        return m;
    }

    @Test
    void tenStopFirstUpdatesWhoseOldContainersHoldTheirPortsPastAnyFixedGraceAllConverge() throws Exception {
        String stack = newStack();
        int web = TestStacks.freePort();
        int api = TestStacks.freePort();
        Path recipe = repository(recipe("1", web, api), recipe("2", web, api));
        Map<String, String> s = settings(recipe, stack);
        s.put("PLUGIN_UPGRADE_FROM", "previous");
        s.put("PLUGIN_STAGES", String.join(",", java.util.Collections.nCopies(UPGRADES, "upgrade")));
        DeployRun run = DeployRun.of(s, dir);
        assertEquals(0, run.exitCode(), run.output());
        JsonNode stages = run.details().path("stages");
        assertEquals(UPGRADES, stages.size(), stages.toPrettyString());
        for (JsonNode stage : stages) {
            assertEquals("PASS", stage.path("status").asText(), stage.toPrettyString());
            // each update (web and api at once) waited for old containers that held their ports for the whole grace
            assertTrue(stage.path("durationMs").asLong() >= GRACE.toMillis(), stage.toPrettyString());
        }
        assertEquals(UPGRADES, run.output().split("updating service " + stack + "_web", -1).length - 1, run.output());
        assertEquals(UPGRADES, run.output().split("updating service " + stack + "_api", -1).length - 1, run.output());
        assertEquals(List.of(), TestStacks.leftovers(engine, stack), run.output());
    }

    @Test
    void aPortAnotherStackHoldsFailsInSecondsNamingItsService() throws Exception {
        int port = TestStacks.freePort();
        String compose = """
                services:
                  web:
                    image: ${IMAGE}
                    command: ["httpd", "-f", "-p", "8080"]
                    init: true
                    stop_grace_period: 1s
                    ports:
                      - {target: 8080, published: %d, mode: host}
                """.formatted(port);
        Path recipe = Files.createDirectories(dir.resolve("recipe"));
        Files.writeString(recipe.resolve("compose.yml"), compose);
        String other = newStack();
        Map<String, String> holder = settings(recipe, other);
        holder.put("PLUGIN_TEARDOWN", "never");
        DeployRun first = DeployRun.of(holder, dir);
        assertEquals(0, first.exitCode(), first.output());

        String stack = newStack();
        DeployRun run = DeployRun.of(settings(recipe, stack), dir);
        assertEquals(1, run.exitCode(), run.output());
        assertTrue(run.output().contains(stack + "_web: port " + port + " is held by " + other + "_web, not by this run"), run.output());
        JsonNode details = run.details();
        assertEquals("PORT_IN_USE", details.path("failure").path("kind").asText(), details.toPrettyString());
        // no grace: a fixed one would fail 10 s after the task was created at the earliest
        long failedAfter = details.path("timings").path("failedAt").asLong() - details.path("timings").path("startedAt").asLong();
        assertTrue(failedAfter < 10_000, "failed " + failedAfter + " ms after the start\n" + run.output());
        assertEquals(List.of(), TestStacks.leftovers(engine, stack), run.output());
    }
}
