package io.longshore.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.longshore.testenv.TestEnv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deploys that cannot work fail within seconds, in plain words, with the engine's message, and leave nothing. */
class DeployFailsFastIT extends EngineStacksTest {
    @TempDir
    Path dir;

    private DeployRun deploy(String compose, Map<String, String> extra) throws Exception {
        return deploy(newStack(), compose, extra);
    }

    private DeployRun deploy(String stack, String compose, Map<String, String> extra) throws Exception {
        Path recipe = Files.createDirectories(dir.resolve("recipe"));
        Files.writeString(recipe.resolve("compose.yml"), compose);
        Map<String, String> settings = new java.util.HashMap<>(Map.of("PLUGIN_RECIPE", recipe.toString(), "PLUGIN_STACK", stack,
                "PLUGIN_TIMEOUT", "90s", "PLUGIN_ENV", "IMAGE=" + TestEnv.testImage()));
        settings.putAll(extra);
        DeployRun run = DeployRun.of(settings, dir);
        if (!"on-success".equals(settings.get("PLUGIN_TEARDOWN"))) {
            assertEquals(List.of(), TestStacks.leftovers(engine, stack), run.output());
        }
        return run;
    }

    @Test
    void anImageThatExistsNowhereFailsInSecondsWithImageNotFound() throws Exception {
        DeployRun run = deploy("""
                services:
                  app:
                    image: 127.0.0.1:5000/longshore-missing/nothing:1
                """, Map.of());
        assertEquals(1, run.exitCode(), run.output());
        assertTrue(run.output().contains("image not found"), run.output());
        assertTrue(run.took().compareTo(Duration.ofSeconds(30)) < 0, "took " + run.took());
        assertEquals("IMAGE_NOT_FOUND", run.details().path("failure").path("kind").asText());
    }

    @Test
    void aCommandThatExitsOneReportsTheExitCodeAndItsLastLogLines() throws Exception {
        DeployRun run = deploy("""
                services:
                  app:
                    image: ${IMAGE}
                    command: ["sh", "-c", "echo preparing; echo cannot open /data/db >&2; exit 1"]
                """, Map.of());
        assertEquals(1, run.exitCode(), run.output());
        assertTrue(run.output().contains("container exited with code 1"), run.output());
        assertTrue(run.output().contains("| cannot open /data/db"), run.output());
        assertTrue(run.took().compareTo(Duration.ofSeconds(30)) < 0, "took " + run.took());
    }

    @Test
    void aProcessThatDiesWithinTheMonitorWindowOfItsStartFailsTheDeploy() throws Exception {
        // up for less than the window, counted from the container's start: swarm may call it running first
        DeployRun run = deploy("""
                services:
                  app:
                    image: ${IMAGE}
                    command: ["sh", "-c", "echo up; sleep 0.4; echo going away >&2; exit 4"]
                """, Map.of());
        assertEquals(1, run.exitCode(), run.output());
        assertTrue(run.output().contains("container exited with code 4"), run.output());
        assertTrue(run.output().contains("| going away"), run.output());
    }

    @Test
    void anUnsatisfiableConstraintFailsWithNoSuitableNode() throws Exception {
        DeployRun run = deploy("""
                services:
                  app:
                    image: ${IMAGE}
                    command: ["sleep", "60"]
                    deploy:
                      placement:
                        constraints: [node.labels.longshore-never == true]
                """, Map.of());
        assertEquals(1, run.exitCode(), run.output());
        assertTrue(run.output().contains("no suitable node"), run.output());
        assertTrue(run.took().compareTo(Duration.ofSeconds(30)) < 0, "took " + run.took());
    }

    @Test
    void aHealthUrlThatAnswers503FailsWithTheStatusAndBody() throws Exception {
        int port = TestStacks.freePort();
        String stack = newStack();
        Path recipe = Files.createDirectories(dir.resolve("recipe"));
        Files.writeString(recipe.resolve("health.cgi"), """
                #!/bin/sh
                echo "Status: 503 Service Unavailable"
                echo "Content-Type: text/plain"
                echo
                echo "down for maintenance"
                """);
        DeployRun run = deploy(stack, """
                services:
                  web:
                    image: ${IMAGE}
                    command: ["httpd", "-f", "-p", "8080", "-h", "/www"]
                    init: true
                    stop_grace_period: 1s
                    configs:
                      - {source: health, target: /www/cgi-bin/health, mode: 0555}
                    ports:
                      - {target: 8080, published: %d, mode: host}
                configs:
                  health: {file: ./health.cgi}
                """.formatted(port), Map.of("PLUGIN_HEALTH_URL", "http://${DOMAIN}:" + port + "/cgi-bin/health",
                "PLUGIN_RESOLVE", stack + ".localhost:" + port + ":127.0.0.1", "PLUGIN_HEALTH_TIMEOUT", "3s"));
        assertEquals(1, run.exitCode(), run.output());
        assertTrue(run.output().contains("HTTP 503: down for maintenance"), run.output());
        assertEquals(503, run.details().path("health").path("lastStatus").asInt());
    }

    @Test
    void aGeneratedSecretIsNeverPrintedEvenWhenTheServiceLogsIt() throws Exception {
        Path recipe = Files.createDirectories(dir.resolve("recipe"));
        Files.writeString(recipe.resolve(".env.sample"), "SECRET_API_KEY_VERSION=v3 # length=40\n");
        DeployRun run = deploy("""
                services:
                  app:
                    image: ${IMAGE}
                    command: ["sh", "-c", "echo key=$$(cat /run/secrets/api_key); exit 3"]
                    secrets: [api_key]
                secrets:
                  api_key: {external: true, name: "${STACK_NAME}_api_key_${SECRET_API_KEY_VERSION}"}
                """, Map.of());
        assertEquals(1, run.exitCode(), run.output());
        assertTrue(run.output().contains("container exited with code 3"), run.output());
        assertTrue(run.output().contains("| key=******"), run.output());
        assertTrue(!run.output().matches("(?s).*key=[A-Za-z0-9]{40}.*"), run.output());
    }

    @Test
    void anImageBehindRegistryAuthFailsWithTheRegistrysAnswer() throws Exception {
        DeployRun run = deploy("""
                services:
                  app:
                    image: %s/longshore-missing/private:1
                """.formatted(TestEnv.get("LONGSHORE_REGISTRY_BASIC")), Map.of());
        assertEquals(1, run.exitCode(), run.output());
        assertTrue(run.output().contains("registry refused the credentials"), run.output());
        assertTrue(run.output().contains("no basic auth credentials"), run.output());
    }

    @Test
    void aFailingHealthcheckFailsWithItsWordsAndLogLines() throws Exception {
        DeployRun run = deploy("""
                services:
                  app:
                    image: ${IMAGE}
                    command: ["sh", "-c", "echo serving; exec sleep 3600"]
                    init: true
                    stop_grace_period: 1s
                    healthcheck: {test: ["CMD", "false"], interval: 1s, timeout: 1s, retries: 1}
                """, Map.of());
        assertEquals(1, run.exitCode(), run.output());
        assertTrue(run.output().contains("healthcheck failing"), run.output());
        assertTrue(run.output().contains("| serving"), run.output());
    }

    @Test
    void aBindMountOfAMissingPathFailsWithAMountError() throws Exception {
        DeployRun run = deploy("""
                services:
                  app:
                    image: ${IMAGE}
                    command: ["sleep", "3600"]
                    volumes: ["/nonexistent/longshore/path:/data"]
                """, Map.of());
        assertEquals(1, run.exitCode(), run.output());
        assertTrue(run.output().contains("mount or volume error"), run.output());
        assertTrue(run.output().contains("/nonexistent/longshore/path"), run.output());
    }

    @Test
    void teardownOnSuccessLeavesAFailedRunForInspection() throws Exception {
        String stack = newStack();
        DeployRun run = deploy(stack, """
                services:
                  app:
                    image: ${IMAGE}
                    command: ["sh", "-c", "exit 2"]
                """, Map.of("PLUGIN_TEARDOWN", "on-success"));
        assertEquals(1, run.exitCode(), run.output());
        assertTrue(run.output().contains("teardown: on-success, so " + stack + " is left running"), run.output());
        assertTrue(TestStacks.leftovers(engine, stack).contains("services " + stack + "_app"), run.output());
    }

    @Test
    void missingExternalObjectsAreNamedAndNothingIsCreated() throws Exception {
        DeployRun run = deploy("""
                services:
                  app:
                    image: ${IMAGE}
                    networks: [proxy]
                    secrets: [shared]
                networks:
                  proxy: {external: true, name: longshore-absent-proxy}
                secrets:
                  shared: {external: true, name: longshore-absent-secret}
                """, Map.of());
        assertEquals(1, run.exitCode(), run.output());
        assertTrue(run.output().contains("external objects that do not exist: network longshore-absent-proxy, secret longshore-absent-secret"),
                run.output());
        assertTrue(!run.output().contains("creating "), run.output());
    }
}
