package io.longshore.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.longshore.kit.run.Launcher;
import io.longshore.kit.run.ShutdownHooks;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command without an engine: a dry run plans and prints; recipe mistakes exit 2 naming file and line. */
class DeployCommandTest {
    static final Path SAMPLE = Path.of("..", "samples", "recipes", "web").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private record Run(int code, String output, JsonNode report) {}

    private Run run(Map<String, String> settings) throws Exception {
        Map<String, String> env = new HashMap<>(settings);
        env.put("DOCKER_HOST", "unix:///nonexistent/docker.sock");
        Path report = dir.resolve("report.json");
        env.put("PLUGIN_REPORT", report.toString());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int code = new Launcher(env, out, out, new ShutdownHooks(m -> {})).execute(new DeployCommand(), new String[0]);
        return new Run(code, bytes.toString(StandardCharsets.UTF_8), new ObjectMapper().readTree(report.toFile()));
    }

    @Test
    void aDryRunWithStagesPrintsTheReleaseTheUpgradeStartsFromAndEveryCommand() throws Exception {
        Path repo = dir.resolve("repo");
        Path recipe = Files.createDirectories(repo.resolve("recipes/app"));
        try (org.eclipse.jgit.api.Git git = org.eclipse.jgit.api.Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
            for (String tag : new String[] {"1.0.0+1.0", "1.1.0+1.1"}) {
                Files.writeString(recipe.resolve("compose.yml"), "services:\n  app:\n    image: busybox:" + tag.substring(6) + "\n");
                git.add().addFilepattern(".").call();
                git.commit().setMessage(tag).setAuthor("t", "t@example.invalid").setCommitter("t", "t@example.invalid").setSign(false).call();
                git.tag().setName(tag).setAnnotated(false).call();
            }
        }
        Map<String, String> settings = new HashMap<>(Map.of("PLUGIN_RECIPE", recipe.toString(), "PLUGIN_DRY_RUN", "true",
                "PLUGIN_STAGES", "install,upgrade", "PLUGIN_TESTS", "app: test -d /data",
                "PLUGIN_SEED", "[{\"app\": \"echo marker > /data/marker\"}]", "PLUGIN_VERIFY", "app: grep -q marker /data/marker",
                "PLUGIN_TIMEOUT", "3m", "PLUGIN_HEALTH_TIMEOUT", "2m"));
        Run r = run(settings);
        assertEquals(0, r.code(), r.output());
        assertTrue(r.output().contains("upgrade (previous): from 1.0.0+1.0;"), r.output());
        assertTrue(r.output().contains("seed   'app: echo marker > /data/marker': exec in app: echo marker > /data/marker"), r.output());
        assertTrue(r.output().contains("verify 'app: grep -q marker /data/marker'"), r.output());
        assertTrue(r.output().contains("tests  'app: test -d /data': exec in app: test -d /data (timeout 2m)"), r.output());
        JsonNode labels = r.report().path("details").path("services").get(0).path("spec").path("Labels");
        Duration lifetime = Duration.between(Instant.parse(labels.path("io.longshore.created").asText()),
                Instant.parse(labels.path("io.longshore.expires").asText()));
        // install deploys once and upgrade twice, each within timeout and health_timeout
        assertEquals(Duration.ofMinutes(3 * (3 + 2)).plus(DeployCommand.EXPIRY_MARGIN), lifetime);
    }

    @Test
    void anUnknownStageIsAnInvalidSetting() throws Exception {
        Run r = run(Map.of("PLUGIN_RECIPE", SAMPLE.toString(), "PLUGIN_DRY_RUN", "true", "PLUGIN_STAGES", "install,backup"));
        assertEquals(2, r.code(), r.output());
        assertTrue(r.output().contains("unknown stage 'backup'; use install, upgrade, custom"), r.output());
    }

    @Test
    void aDryRunPrintsThePlanWithRunLabelsThatExpireAfterTimeoutAndHealthTimeoutAndNeedsNoEngine() throws Exception {
        Run r = run(Map.of("PLUGIN_RECIPE", SAMPLE.toString(), "PLUGIN_DRY_RUN", "true", "PLUGIN_TIMEOUT", "3m",
                "PLUGIN_HEALTH_TIMEOUT", "2m"));
        assertEquals(0, r.code(), r.output());
        JsonNode plan = r.report().path("details");
        String stack = plan.path("stack").asText();
        assertTrue(stack.matches("web-[0-9a-f]{6}"), stack);
        JsonNode labels = plan.path("services").get(0).path("spec").path("Labels");
        assertEquals(stack, labels.path("io.longshore.run").asText());
        assertEquals(stack, labels.path("com.docker.stack.namespace").asText());
        Instant created = Instant.parse(labels.path("io.longshore.created").asText());
        Instant expires = Instant.parse(labels.path("io.longshore.expires").asText());
        assertEquals(Duration.ofMinutes(3 + 2).plus(DeployCommand.EXPIRY_MARGIN), Duration.between(created, expires));
        assertTrue(r.output().contains("\"name\" : \"" + stack + "_worker\""), r.output());
        assertTrue(r.output().contains("would deploy " + stack + " with 2 service(s); nothing was created"), r.output());
    }

    @Test
    void anUnsetRequiredVariableExitsTwoNamingItTheFileAndTheLine() throws Exception {
        Files.writeString(dir.resolve("compose.yml"), """
                services:
                  app:
                    image: busybox
                    environment:
                      TOKEN: ${API_TOKEN:?set API_TOKEN in the env file}
                """);
        Run r = run(Map.of("PLUGIN_RECIPE", dir.toString(), "PLUGIN_DRY_RUN", "true"));
        assertEquals(2, r.code(), r.output());
        assertTrue(r.output().contains("compose.yml line 5: required variable API_TOKEN is missing a value: set API_TOKEN in the env file"),
                r.output());
    }

    @Test
    void warnsAboutEveryKeySwarmIgnores() throws Exception {
        Files.writeString(dir.resolve("compose.yml"), "services: {app: {image: busybox, build: ., privileged: true}}\n");
        Run r = run(Map.of("PLUGIN_RECIPE", dir.toString(), "PLUGIN_DRY_RUN", "true"));
        assertEquals(0, r.code(), r.output());
        assertTrue(r.output().contains("service app: build is not supported by Swarm and is ignored"), r.output());
        assertTrue(r.output().contains("service app: privileged is not supported by Swarm and is ignored"), r.output());
    }

    @Test
    void aMalformedHealthStatusIsAnInvalidSetting() throws Exception {
        Run r = run(Map.of("PLUGIN_RECIPE", SAMPLE.toString(), "PLUGIN_HEALTH_STATUS", "ok"));
        assertEquals(2, r.code(), r.output());
        assertTrue(r.output().contains("PLUGIN_HEALTH_STATUS"), r.output());
    }

    @Test
    void aValueComposeWouldRejectIsAnInvalidRecipe() throws Exception {
        Files.writeString(dir.resolve("compose.yml"), "services: {app: {image: b, deploy: {resources: {limits: {memory: lots}}}}}\n");
        Run r = run(Map.of("PLUGIN_RECIPE", dir.toString(), "PLUGIN_DRY_RUN", "true"));
        assertEquals(2, r.code(), r.output());
        assertTrue(r.output().contains("invalid size \"lots\""), r.output());
    }
}
