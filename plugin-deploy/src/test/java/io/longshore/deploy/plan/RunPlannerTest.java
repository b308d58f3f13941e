package io.longshore.deploy.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.longshore.deploy.DeploySettings;
import io.longshore.deploy.apply.UpdatePlan;
import io.longshore.deploy.apply.UpdatePlan.ServiceChange;
import io.longshore.deploy.convert.DeployPlan;
import io.longshore.deploy.health.StatusRanges;
import io.longshore.deploy.recipe.RecipeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run plan of the sample recipe, without an engine: what every stage deploys, updates and runs. */
class RunPlannerTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    @TempDir
    Path dir;

    private static DeploySettings settings(Path recipe, List<String> stages, List<TestCommand> tests, List<TestCommand> seed,
                                           List<TestCommand> verify) {
        return new DeploySettings(recipe, ".env.sample", Map.of("WEB_PORT", "18181"), null, "web-a1b2c3", null, true,
                Duration.ofMinutes(3), new DeploySettings.Health("http://127.0.0.1:${WEB_PORT}/health", StatusRanges.parse("200-399"),
                        List.of(), Duration.ofMinutes(2), false),
                DeploySettings.Teardown.always, List.of(), stages, "previous", tests, seed, verify, null, Path.of("backups/<stack>"), true);
    }

    private static TestCommand exec(String service, String command) {
        return new TestCommand(service + ": " + command, service, List.of("sh", "-c", command), TestCommand.DEFAULT_TIMEOUT, null);
    }

    private RunPlan plan(DeploySettings s) {
        try (RecipeReleases releases = new RecipeReleases(s.recipe(), s.envFile(), s.env(), s.composeFiles())) {
            return new RunPlanner(s, releases, NOW, "ci#7").plan();
        }
    }

    @Test
    void installThenUpgradePlansBothReleasesTheUpdateBetweenThemEachCommandAndTheTeardown() throws Exception {
        Path recipe = SampleReleases.repository(dir);
        RunPlan plan = plan(settings(recipe, List.of("install", "upgrade"), List.of(exec("web", "test -s /www/index.html")),
                List.of(exec("web", "echo marker > /data/marker")), List.of(exec("web", "grep -q marker /data/marker"))));

        assertEquals("web-a1b2c3", plan.stack());
        assertEquals(DeploySettings.Teardown.always, plan.teardown());
        // install deploys once, the upgrade twice; each may take timeout and health_timeout
        assertEquals(Duration.ofMinutes(3 * (3 + 2)).plus(Lifetime.MARGIN), plan.lifetime().length());
        assertEquals("2026-12-01T10:25:00Z", plan.labels().get("io.longshore.expires"));
        assertEquals("ci#7", plan.labels().get("io.longshore.owner"));

        StagePlan.Install install = assertInstanceOf(StagePlan.Install.class, plan.stages().get(0));
        assertFalse(install.clearFirst());
        assertEquals(List.of("web-a1b2c3_web", "web-a1b2c3_worker"), names(install.release().deploy()));
        assertEquals("http://127.0.0.1:18181/health", install.release().healthUrl());
        assertEquals(List.of(new TestPlan.Target.Exec("web-a1b2c3_web")), install.tests().stream().map(TestPlan::target).toList());

        StagePlan.Upgrade upgrade = assertInstanceOf(StagePlan.Upgrade.class, plan.stages().get(1));
        assertTrue(upgrade.clearFirst(), "the install left the run: the upgrade starts from nothing");
        assertEquals("1.0.0+1.0", upgrade.from().label());
        assertTrue(upgrade.to().workspace());
        assertEquals(names(upgrade.from().deploy()), names(upgrade.to().deploy()));
        assertEquals(List.of("seed"), upgrade.seed().stream().map(TestPlan::kind).toList());
        assertEquals(List.of("verify"), upgrade.verify().stream().map(TestPlan::kind).toList());

        // the index page changed between the releases: its config is re-created under a name of its own
        UpdatePlan update = upgrade.update();
        assertEquals(1, update.recreatedConfigs().size());
        UpdatePlan.Recreated index = update.recreatedConfigs().getFirst();
        assertEquals("web-a1b2c3_index", index.oldName());
        assertEquals("web-a1b2c3_index_" + index.newDigest().substring(0, 8), index.newName());
        assertEquals(List.of(index.newName()), update.createConfigs().stream().map(DeployPlan.FileObjectPlan::name).toList());
        assertEquals(List.of("web-a1b2c3_web", "web-a1b2c3_worker"), update.updated());
        ServiceChange.Update web = (ServiceChange.Update) update.services().get(0);
        assertEquals(List.of("configs changed"), web.changes());
        assertTrue(web.target().spec().toString().contains("\"ConfigName\":\"" + index.newName() + "\""), web.target().spec().toString());
        assertEquals(List.of(), ((ServiceChange.Update) update.services().get(1)).changes());
        assertEquals(List.of(), update.removeServices());
        assertEquals(List.of(), update.createNetworks());
        assertEquals(List.of(), update.createSecrets());
        assertTrue(update.kept().contains("config web-a1b2c3_health"), update.kept().toString());

        List<String> lines = plan.lines();
        assertTrue(lines.contains("teardown: always (also on failure and on SIGTERM)"), lines.toString());
        assertTrue(lines.contains("    create  config " + index.newName() + " (re-created: the content of web-a1b2c3_index changed)"),
                lines.toString());
        assertTrue(lines.contains("    update  service web-a1b2c3_worker in place (no change)"), lines.toString());
        assertTrue(lines.contains("  verify  'web: grep -q marker /data/marker': exec in web-a1b2c3_web: grep -q marker /data/marker (timeout 2m)"),
                lines.toString());
        assertEquals(List.of("workspace", "1.0.0+1.0"), List.copyOf(plan.releases().keySet()));
        assertEquals(List.of("lock ci", "janitor", "stage install", "deploy web-a1b2c3", "converge", "health", "stage upgrade",
                "deploy web-a1b2c3 at 1.0.0+1.0", "converge", "health", "update web-a1b2c3", "converge", "health",
                "teardown web-a1b2c3", "results"), plan.steps("ci"));
    }

    @Test
    void aRecipeWithoutAnEarlierReleaseSkipsTheUpgradeInThePlan() throws Exception {
        Path plain = dir.resolve("plain");
        SampleReleases.copy(SampleReleases.SAMPLE, plain);
        RunPlan plan = plan(settings(plain, List.of("upgrade"), List.of(), List.of(), List.of()));
        StagePlan.NotRunnable skipped = assertInstanceOf(StagePlan.NotRunnable.class, plan.stages().getFirst());
        assertFalse(skipped.fails());
        assertTrue(skipped.reason().contains("not inside a git repository"), skipped.reason());
    }

    @Test
    void aBackupAfterTheInstallArchivesTheSampleVolumeWithoutDeployingFirstAndDryRunListsIt() throws Exception {
        RunPlan plan = plan(settings(SampleReleases.SAMPLE, List.of("install", "backup"), List.of(),
                List.of(exec("web", "echo marker > /data/marker")), List.of(exec("web", "grep -q marker /data/marker"))));
        StagePlan.Backup backup = assertInstanceOf(StagePlan.Backup.class, plan.stages().get(1));
        assertEquals(false, backup.deploy(), "install left the workspace's release running");
        assertEquals(Path.of("backups/web-a1b2c3"), backup.dir());
        assertEquals(List.of("web: data at /data (whole volume)"),
                backup.services().stream().flatMap(s -> s.volumes().stream().map(v -> s.shortName() + ": " + v.describe())).toList());
        assertEquals(List.of("seed", "verify"), java.util.stream.Stream.concat(backup.seed().stream(), backup.verify().stream())
                .map(TestPlan::kind).toList());
        List<String> lines = plan.lines();
        assertTrue(lines.contains("stage 2 of 2: backup: back up, destroy the data, deploy again, restore, verify"), lines.toString());
        assertTrue(lines.contains("    volume data at /data (whole volume)"), lines.toString());
        assertTrue(plan.steps(null).containsAll(List.of("backup", "destroy the data", "update web-a1b2c3", "restore")), plan.steps(null).toString());
    }

    @Test
    void aBackupOfARecipeWithoutLabelsIsSkippedInThePlan() throws Exception {
        DeploySettings s = settings(SampleReleases.SAMPLE, List.of("backup"), List.of(), List.of(), List.of());
        RunPlan plan = plan(new DeploySettings(s.recipe(), s.envFile(), Map.of("WEB_PORT", "18181", "ENABLE_BACKUPS", "false"), null,
                s.stack(), null, true, s.timeout(), s.health(), s.teardown(), List.of(), s.stages(), "previous", List.of(), List.of(), List.of(),
                null, s.backupDir(), true));
        StagePlan.NotRunnable skipped = assertInstanceOf(StagePlan.NotRunnable.class, plan.stages().getFirst());
        assertEquals(false, skipped.fails());
        assertTrue(skipped.reason().startsWith("no service of the recipe takes part in backups"), skipped.reason());
        // a plan whose only stage cannot run still has the workspace's release, which dry_run prints
        assertEquals(ReleasePlan.WORKSPACE, plan.workspace().label());
        assertTrue(plan.lines().contains("stage 1 of 1: backup: SKIPPED: " + skipped.reason()), plan.lines().toString());
    }

    @Test
    void aTestWithAnImageIsPlannedAsAOneOffJobOnTheStacksNetworksWithTheRunsLabels() throws Exception {
        TestCommand job = new TestCommand("smoke", null, List.of("sh", "-c", "echo ${WEB_PORT}"), Duration.ofSeconds(30), "busybox:1");
        RunPlan plan = plan(settings(SampleReleases.SAMPLE, List.of("install"), List.of(job), List.of(), List.of()));
        TestPlan t = ((StagePlan.Install) plan.stages().getFirst()).tests().getFirst();
        TestPlan.Target.Job target = assertInstanceOf(TestPlan.Target.Job.class, t.target());
        assertEquals("web-a1b2c3_tests-1", target.name());
        assertEquals(List.of("sh", "-c", "echo 18181"), t.command().argv(), "interpolated with the release's env");
        assertEquals("web-a1b2c3", target.spec().path("Labels").path("io.longshore.run").asText());
        assertEquals("web-a1b2c3_backend", target.spec().path("TaskTemplate").path("Networks").path(0).path("Target").asText());
        assertEquals(1, target.spec().path("Mode").path("ReplicatedJob").path("TotalCompletions").asInt());
    }

    @Test
    void aConverterBugIsATranslationErrorNamingTheFilesNotAnInvalidRecipe() {
        DeploySettings s = settings(SampleReleases.SAMPLE, List.of("install"), List.of(), List.of(), List.of());
        try (RecipeReleases releases = new RecipeReleases(s.recipe(), s.envFile(), s.env(), s.composeFiles())) {
            TranslationException e = assertThrows(TranslationException.class, () -> new RunPlanner(s, releases, NOW, null,
                    (model, stack, labels, env, generated) -> {
                        throw new NullPointerException("services.web.deploy");
                    }).plan());
            assertEquals("longshore could not translate compose.yml, compose.worker.yml: NullPointerException: services.web.deploy "
                    + "(this is a bug in longshore; please report it with the recipe)", e.getMessage());
        }
    }

    @Test
    void aValueComposeRejectsIsARecipeMistakeNamingWhereItIs() throws Exception {
        Files.writeString(dir.resolve("compose.yml"), "services: {app: {image: b, deploy: {resources: {limits: {cpus: lots}}}}}\n");
        RecipeException e = assertThrows(RecipeException.class,
                () -> plan(settings(dir, List.of("install"), List.of(), List.of(), List.of())));
        assertTrue(e.getMessage().startsWith("service app resources: "), e.getMessage());
    }

    private static List<String> names(DeployPlan p) {
        return p.services().stream().map(DeployPlan.ServicePlan::name).toList();
    }
}
