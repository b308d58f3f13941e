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
        String stack = r.report().path("details").path("stack").asText();
        assertTrue(r.output().contains("stage 2 of 2: upgrade: from 1.0.0+1.0 to the workspace (after clearing the run)"), r.output());
        assertTrue(r.output().contains("seed    'app: echo marker > /data/marker': exec in " + stack + "_app: echo marker > /data/marker"),
                r.output());
        assertTrue(r.output().contains("update  service " + stack + "_app in place: image busybox:1.0 → busybox:1.1"), r.output());
        assertTrue(r.output().contains("verify  'app: grep -q marker /data/marker'"), r.output());
        assertTrue(r.output().contains("==> objects of release 1.0.0+1.0"), r.output());
        JsonNode labels = r.report().path("details").path("services").get(0).path("spec").path("Labels");
        Duration lifetime = Duration.between(Instant.parse(labels.path("io.longshore.created").asText()),
                Instant.parse(labels.path("io.longshore.expires").asText()));
        // install deploys once and upgrade twice, each within timeout and health_timeout
        assertEquals(Duration.ofMinutes(3 * (3 + 2)).plus(io.longshore.deploy.plan.Lifetime.MARGIN), lifetime);
    }

    @Test
    void anUnknownStageIsAnInvalidSetting() throws Exception {
        Run r = run(Map.of("PLUGIN_RECIPE", SAMPLE.toString(), "PLUGIN_DRY_RUN", "true", "PLUGIN_STAGES", "install,restore"));
        assertEquals(2, r.code(), r.output());
        assertTrue(r.output().contains("unknown stage 'restore'; use install, upgrade, backup, custom"), r.output());
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
        assertEquals(Duration.ofMinutes(3 + 2).plus(io.longshore.deploy.plan.Lifetime.MARGIN), Duration.between(created, expires));
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

    @Test
    void aDryRunOfARealRecipeCountsItsAbraShValuesSaysWhoseTimeoutAppliesAndListsItsOverlays() throws Exception {
        Run r = run(Map.of("PLUGIN_RECIPE", Corpus.recipe("bonfire").toString(), "PLUGIN_DRY_RUN", "true", "PLUGIN_STACK", "bonf-0a1b2c",
                "PLUGIN_ENV", "TIMEOUT=420"));
        assertEquals(0, r.code(), r.output());
        assertTrue(r.output().lines().anyMatch(l -> l.startsWith("    run bonf-0a1b2c (domain bonf-0a1b2c.localhost): 2 service(s)")
                && l.endsWith("; 5 value(s) from abra.sh")), r.output());
        // bonfire's label is coop-cloud.${STACK_NAME}.timeout=${TIMEOUT:-300}
        assertTrue(r.output().contains("converge: within 7m (the coop-cloud.bonf-0a1b2c.timeout label of service app)"), r.output());
        assertTrue(r.output().contains("available overlays (the commented COMPOSE_FILE lines of .env.sample; uncomment one, or set compose_files):"),
                r.output());
        assertTrue(r.output().contains("  .env.sample line 56: compose.yml:compose.postgres.yml:compose.basicauth.yml (with SECRET_USERSFILE_VERSION)"),
                r.output());
        assertEquals(17, r.output().lines().filter(l -> l.contains("  .env.sample line ")).count(), r.output());
        JsonNode labels = r.report().path("details").path("services").get(0).path("spec").path("Labels");
        Duration lifetime = Duration.between(Instant.parse(labels.path("io.longshore.created").asText()),
                Instant.parse(labels.path("io.longshore.expires").asText()));
        // the recipe's own 420 s, then the default health_timeout
        assertEquals(Duration.ofSeconds(420).plus(Duration.ofMinutes(5)).plus(io.longshore.deploy.plan.Lifetime.MARGIN), lifetime);
    }

    @Test
    void theTimeoutSettingWinsOverTheRecipesOwnAndThePlanSaysSo() throws Exception {
        Run r = run(Map.of("PLUGIN_RECIPE", Corpus.recipe("bonfire").toString(), "PLUGIN_DRY_RUN", "true", "PLUGIN_STACK", "bonf-0a1b2c",
                "PLUGIN_TIMEOUT", "10m", "PLUGIN_ENV", "TIMEOUT=900"));
        assertEquals(0, r.code(), r.output());
        assertTrue(r.output().contains("converge: within 10m (the timeout setting, over 15m from the coop-cloud.bonf-0a1b2c.timeout"
                + " label of service app)"), r.output());
        Run plain = run(Map.of("PLUGIN_RECIPE", SAMPLE.toString(), "PLUGIN_DRY_RUN", "true"));
        assertTrue(plain.output().contains("converge: within 5m (the default)"), plain.output());
    }

    @Test
    void aConfigVersionLeftToAMissingAbraShExitsTwoNamingTheFileTheLineAndTheVariableBeforeAnythingIsCreated() throws Exception {
        Path recipe = Corpus.copy("wordpress", dir);
        Files.delete(recipe.resolve("abra.sh"));
        Run r = run(Map.of("PLUGIN_RECIPE", recipe.toString(), "PLUGIN_STACK", "word-0a1b2c"));
        assertEquals(2, r.code(), r.output());
        assertTrue(r.output().contains("configs.entrypoint_conf.name (compose.yml line 82) interpolates to `word-0a1b2c_entrypoint_conf_`:"
                + " ENTRYPOINT_CONF_VERSION is not set (Co-op Cloud recipes set config versions in abra.sh)"), r.output());
    }

    @Test
    void aMalformedAbraShLineExitsTwoNamingItsLine() throws Exception {
        Path recipe = Corpus.copy("wordpress", dir);
        Files.writeString(recipe.resolve("abra.sh"), "export PHP_UPLOADS_CONF_VERSION=v3\nexport ENTRYPOINT_CONF_VERSION=$(cat VERSION)\n");
        Run r = run(Map.of("PLUGIN_RECIPE", recipe.toString(), "PLUGIN_DRY_RUN", "true"));
        assertEquals(2, r.code(), r.output());
        assertTrue(r.output().contains("abra.sh line 2: 'export ENTRYPOINT_CONF_VERSION=$(cat VERSION)' cannot be read without running"
                + " abra.sh: its value is the output of a command"), r.output());
    }

    @Test
    void aDryRunOfAnUpgradeOfRealReleasesPlansBothAndUpdatesOnlyTheAppsImageAndVersionInPlace() throws Exception {
        Path repo = BonfireReleases.repository(dir.resolve("bonfire"));
        Run r = run(Map.of("PLUGIN_RECIPE", repo.toString(), "PLUGIN_DRY_RUN", "true", "PLUGIN_STAGES", "install,upgrade",
                "PLUGIN_STACK", "bonf-0a1b2c"));
        assertEquals(0, r.code(), r.output());
        assertTrue(r.output().contains("stage 2 of 2: upgrade: from " + BonfireReleases.OLD + " to the workspace"), r.output());
        assertTrue(r.output().contains("update  service bonf-0a1b2c_app in place: image bonfirenetworks/bonfire:1.0.5-social-amd64 →"
                + " bonfirenetworks/bonfire:1.0.6-social-amd64; label com.docker.stack.image bonfirenetworks/bonfire:1.0.5-social-amd64 →"
                + " bonfirenetworks/bonfire:1.0.6-social-amd64; label coop-cloud.bonf-0a1b2c.version " + BonfireReleases.OLD + " → "
                + BonfireReleases.NEW), r.output());
        assertTrue(r.output().contains("update  service bonf-0a1b2c_db in place (no change)"), r.output());
        assertTrue(r.output().lines().noneMatch(l -> l.contains("re-created") || l.contains("remove  ") || l.contains("create  ")),
                r.output());
    }
}
