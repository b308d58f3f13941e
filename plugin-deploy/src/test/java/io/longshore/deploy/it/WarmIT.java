package io.longshore.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.longshore.kit.engine.Filter;
import io.longshore.kit.engine.model.Service;
import io.longshore.kit.output.Events;
import io.longshore.kit.run.ShutdownHooks;
import io.longshore.kit.stack.Janitor;
import io.longshore.kit.stack.JanitorPolicy;
import io.longshore.kit.stack.Protect;
import io.longshore.kit.stack.Teardown;
import io.longshore.kit.wait.Deadline;
import io.longshore.testenv.DockerCli;
import io.longshore.testenv.TestEnv;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Warm mode on the private engine: a recipe repository whose releases are tagged one by one, each
 * reconcile ending as the issue says, with the marker its first release wrote kept in its volume.
 */
class WarmIT extends EngineStacksTest {
    @TempDir
    Path dir;
    private Path repo;
    private Path recipe;
    private Git git;
    private int port;

    @BeforeEach
    void repository() throws Exception {
        repo = dir.resolve("repo");
        recipe = Files.createDirectories(repo.resolve("recipes/idp"));
        git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call();
        port = TestStacks.freePort();
    }

    @AfterEach
    void closeGit() {
        git.close();
    }

    /**
     * A release of the recipe: busybox httpd with a host-mode port and a volume at /data; the first
     * release writes the marker; {@code healthy=false} gives it a healthcheck that always fails.
     */
    private void release(String tag, boolean healthy, String notes) throws Exception {
        String writeMarker = tag.startsWith("1.0.0") ? "(test -f /data/marker || echo kept > /data/marker) && " : "";
        Files.writeString(recipe.resolve("compose.yml"), """
                services:
                  app:
                    image: ${IMAGE}
                    command: ["sh", "-c", "%smkdir -p /www && echo %s > /www/index.html && exec httpd -f -p 8080 -h /www"]
                    init: true
                    stop_grace_period: 1s
                    volumes: ["data:/data"]
                    ports:
                      - target: 8080
                        published: ${PORT}
                        mode: host
                    healthcheck:
                      test: %s
                      interval: 1s
                      timeout: 1s
                      retries: 1
                    deploy:
                      labels:
                        - "coop-cloud.${STACK_NAME}.version=%s"
                volumes:
                  data: {}
                """.formatted(writeMarker, tag, healthy ? "[\"CMD\", \"test\", \"-f\", \"/www/index.html\"]" : "[\"CMD\", \"false\"]", tag));
        if (notes != null) {
            Files.createDirectories(recipe.resolve("release"));
            Files.writeString(recipe.resolve("release").resolve(tag), notes);
        }
        git.add().addFilepattern(".").call();
        git.commit().setMessage("release " + tag).setAuthor("t", "t@example.invalid").setCommitter("t", "t@example.invalid").setSign(false).call();
        git.tag().setName(tag).setAnnotated(false).call();
    }

    private Map<String, String> settings(String stack) {
        Map<String, String> s = new HashMap<>();
        s.put("PLUGIN_MODE", "warm");
        s.put("PLUGIN_STACK", stack);
        s.put("PLUGIN_RECIPE", recipe.toString());
        s.put("PLUGIN_ENV", "{\"IMAGE\": \"" + TestEnv.testImage() + "\", \"PORT\": \"" + port + "\"}");
        s.put("PLUGIN_HEALTH_URL", "http://127.0.0.1:" + port + "/index.html");
        s.put("PLUGIN_HEALTH_TIMEOUT", "20s");
        s.put("PLUGIN_TIMEOUT", "40s");
        s.put("PLUGIN_ALERT_DIR", dir.resolve("alerts").toString());
        s.put("PLUGIN_DATA_ROOT", dir.toString());
        return s;
    }

    private DeployRun reconcile(String stack) throws Exception {
        return DeployRun.of(settings(stack), dir);
    }

    private static String result(DeployRun run) {
        return run.details().path("result").asText();
    }

    /** What the app's volume holds at /marker, read by a throwaway container (the app may be down). */
    private String marker(String stack) {
        DockerCli.Result r = DockerCli.run(Duration.ofSeconds(60), "-H", TestEnv.dockerHost(), "run", "--rm", "-v", stack + "_data:/d",
                TestEnv.testImage(), "cat", "/d/marker");
        return r.exitCode() == 0 ? r.output().strip() : "(no marker: " + r.output().strip() + ")";
    }

    private List<String> versionsRunning(String stack) {
        return engine.read().services(Filter.label("com.docker.stack.namespace", stack)).stream()
                .map(s -> s.label("coop-cloud." + stack + ".version") + "@" + s.version()).toList();
    }

    @Test
    void eachReleaseTaggedInTurnIsDeployedKeptUpgradedRolledBackOrHeldWithTheDataKept() throws Exception {
        String stack = newStack();
        release("1.0.0+1.0", true, null);
        DeployRun first = reconcile(stack);
        assertEquals(0, first.exitCode(), first.output());
        assertEquals("deployed", result(first), first.output());
        assertEquals("kept", marker(stack));

        DeployRun again = reconcile(stack);
        assertEquals(0, again.exitCode(), again.output());
        assertEquals("noop", result(again), again.output());

        release("1.0.1+1.0", true, "Fixes a typo.\n");
        List<String> beforeDryRun = versionsRunning(stack);
        Map<String, String> dry = settings(stack);
        dry.put("PLUGIN_DRY_RUN", "true");
        DeployRun preview = DeployRun.of(dry, dir);
        assertEquals(0, preview.exitCode(), preview.output());
        assertEquals("dry-run", result(preview), preview.output());
        assertTrue(preview.output().contains("would upgrade 1.0.0+1.0 → 1.0.1+1.0 behind the health gate, after a snapshot of " + stack + "_data"),
                preview.output());
        assertTrue(preview.output().contains("plan: update  service " + stack + "_app"), preview.output());
        assertEquals(beforeDryRun, versionsRunning(stack), "a dry run changes nothing on the engine");

        DeployRun upgrade = reconcile(stack);
        assertEquals(0, upgrade.exitCode(), upgrade.output());
        assertEquals("upgraded", result(upgrade), upgrade.output());
        assertEquals("kept", marker(stack), upgrade.output());
        assertTrue(versionsRunning(stack).getFirst().startsWith("1.0.1+1.0@"), versionsRunning(stack).toString());

        release("1.0.2+1.0", false, null);
        DeployRun broken = reconcile(stack);
        assertEquals(1, broken.exitCode(), broken.output());
        assertEquals("rolled-back", result(broken), broken.output());
        assertEquals("kept", marker(stack), broken.output());
        assertEquals("1.0.1+1.0", broken.details().path("lastGood").asText(), broken.output());
        assertTrue(versionsRunning(stack).getFirst().startsWith("1.0.1+1.0@"), versionsRunning(stack).toString());
        JsonNode alert = broken.details().path("alert");
        assertEquals("rolled-back", alert.path("reason").asText());
        assertEquals(true, alert.path("recovered").asBoolean());
        try (var files = Files.list(dir.resolve("alerts"))) {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().endsWith("-" + stack + "-rolled-back.json")));
        }

        List<String> before = versionsRunning(stack);
        release("1.1.0+1.0", true, "Before upgrading, run the manual migration of the user table.\n");
        DeployRun notes = reconcile(stack);
        assertEquals(0, notes.exitCode(), notes.output());
        assertEquals("held-notes", result(notes), notes.output());
        assertTrue(notes.details().path("alert").path("notes").asText().contains("manual migration"), notes.output());
        assertEquals(before, versionsRunning(stack), "a hold changes nothing on the engine");

        release("2.0.0+1.0", true, null);
        DeployRun major = reconcile(stack);
        assertEquals(0, major.exitCode(), major.output());
        assertEquals("held-major", result(major), major.output());
        assertEquals(before, versionsRunning(stack), "a hold changes nothing on the engine");

        // the janitor reaps runs, never a warm app, even with every run counting as expired
        new Janitor(Teardown.on(engine, Events.none()), Events.none(), new ShutdownHooks(m -> {}))
                .sweep(new JanitorPolicy(Instant.now().plusSeconds(86_400), Duration.ZERO, new Protect(List.of())), Duration.ofMinutes(1), false);
        assertEquals(before, versionsRunning(stack));
        assertEquals("kept", marker(stack));
    }

    @Test
    void aReconcileKilledRightAfterRemovingTheServicesIsCompletedByTheNextWithTheDataKept() throws Exception {
        String stack = newStack();
        release("1.0.0+1.0", true, null);
        assertEquals("deployed", result(reconcile(stack)));
        release("1.0.1+1.0", true, null);

        Path jar = Path.of("target/plugin-deploy.jar");
        assertTrue(Files.exists(jar), jar.toAbsolutePath() + " is missing: integration tests run after package");
        List<String> cmd = List.of(ProcessHandle.current().info().command().orElse("java"), "-jar", jar.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("PLUGIN_"));
        pb.environment().putAll(TestEnv.require());
        pb.environment().putAll(settings(stack));
        Process p = pb.start();
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    lines.add(l);
                    if (l.contains("removed the services of " + stack)) {
                        p.destroyForcibly(); // SIGKILL: no hook, no summary
                    }
                }
            } catch (java.io.IOException e) {
                lines.add("(output ended: " + e.getMessage() + ")");
            }
        });
        assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.contains("removed the services of")), String.join("\n", lines));
        assertTrue(Deadline.in(Duration.ofSeconds(60)).await(() -> engine.read().services(Filter.label("com.docker.stack.namespace", stack))
                .isEmpty()), "the killed reconcile removed the services");
        // and a helper copy a kill during the snapshot leaves behind: still running, the app's volume mounted
        String leftover = stack + "_longshore-copy-0badc0de";
        DockerCli.Result planted = DockerCli.run(Duration.ofSeconds(60), "-H", TestEnv.dockerHost(), "run", "-d", "--name", leftover,
                "--label", "io.longshore.warm=" + stack, "-v", stack + "_data:/longshore-from:ro", TestEnv.testImage(), "sleep", "3600");
        assertEquals(0, planted.exitCode(), planted.output());

        DeployRun next = reconcile(stack);
        assertEquals(0, next.exitCode(), next.output());
        assertTrue(next.output().contains("removed 1 volume copy helper(s) a stopped reconcile left: " + leftover), next.output());
        assertEquals(List.of(), engine.read().containers(Filter.NONE.and("name", leftover)), "the leftover helper is gone");
        assertTrue(next.output().contains("the last reconcile stopped while upgrading"), next.output());
        assertEquals("upgraded", result(next), next.output());
        assertEquals("kept", marker(stack), next.output());
        List<Service> services = engine.read().services(Filter.label("com.docker.stack.namespace", stack));
        assertEquals("1.0.1+1.0", services.getFirst().label("coop-cloud." + stack + ".version"));
    }
}
