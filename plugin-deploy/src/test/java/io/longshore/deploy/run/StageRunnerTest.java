package io.longshore.deploy.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.longshore.deploy.apply.UpdatePlan;
import io.longshore.deploy.convert.DeployPlan;
import io.longshore.deploy.plan.ReleasePlan;
import io.longshore.deploy.plan.StagePlan;
import io.longshore.deploy.plan.TestCommand;
import io.longshore.deploy.plan.TestPlan;
import io.longshore.deploy.recipe.Recipe;
import io.longshore.kit.output.Events;
import io.longshore.kit.wait.FakeTime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The stages' order and results from their plans, with the engine's actions faked. */
class StageRunnerTest {
    private static final ReleasePlan WORKSPACE = release(ReleasePlan.WORKSPACE);
    private static final ReleasePlan OLD = release("1.0.0+1.0");
    private static final UpdatePlan NO_CHANGE = new UpdatePlan("run", List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of());

    private static ReleasePlan release(String label) {
        Recipe recipe = new Recipe(Path.of("/recipe"), "run", "run.localhost", Map.of(), List.of(), List.of(), List.of());
        DeployPlan deploy = new DeployPlan("run", List.of(), List.of(), List.of(), List.of(), List.of(),
                new DeployPlan.Externals(List.of(), List.of(), List.of(), List.of()), List.of());
        return new ReleasePlan(label, recipe, deploy, null);
    }

    private static TestPlan cmd(String kind, String command) {
        return new TestPlan(kind, new TestCommand("web: " + command, "web", List.of("sh", "-c", command), TestCommand.DEFAULT_TIMEOUT, null),
                new TestPlan.Target.Exec("run_web"));
    }

    private static StagePlan upgrade(List<TestPlan> seed, List<TestPlan> verify, List<TestPlan> tests) {
        return new StagePlan.Upgrade(false, OLD, WORKSPACE, NO_CHANGE, seed, verify, tests);
    }

    /** Records what the stages asked for; commands named in {@code failing} exit 1. */
    private static class Fake implements StageActions {
        final List<String> calls = new ArrayList<>();
        Set<String> failing = Set.of();
        boolean releaseFails;

        public Step deploy(ReleasePlan release) {
            calls.add("deploy " + release.label());
            return releaseFails && !release.workspace() ? Step.failed("container exited with code 1") : Step.ok("deployed");
        }

        public Step update(ReleasePlan target) {
            calls.add("update " + target.label());
            return Step.ok("updated");
        }

        public Step reset() {
            calls.add("reset");
            return Step.ok("removed");
        }

        public Archived archive(io.longshore.deploy.backup.ServiceBackup s, Path dir) {
            calls.add("archive " + s.shortName());
            return new Archived(true, "1 archive(s)", List.of(new io.longshore.deploy.backup.BackupArchive(s.shortName(), "data", "dump",
                    "/data/dump", "/data", dir.resolve(s.shortName() + ".data.dump.tar.gz"), 2048, 1, "ab")));
        }

        public Step manifest(Path dir, List<io.longshore.deploy.backup.BackupArchive> archives) {
            calls.add("manifest " + archives.size());
            return Step.ok("wrote");
        }

        public Step destroyData() {
            calls.add("destroy");
            return Step.ok("removed");
        }

        public Step restore(io.longshore.deploy.backup.ServiceBackup s, List<io.longshore.deploy.backup.BackupArchive> archives) {
            calls.add("restore " + s.shortName() + " " + archives.size());
            return Step.ok("restored");
        }

        public CommandResult run(TestPlan c) {
            calls.add(c.kind() + " " + c.command().display());
            boolean fail = failing.contains(c.command().display());
            return new CommandResult(c.command().name(), c.kind(), fail ? Status.FAIL : Status.PASS, Duration.ofMillis(5), fail ? 1 : 0,
                    fail ? "exit code 1" : null, fail ? "no marker" : "");
        }
    }

    private static List<StageResult> run(Fake fake, List<StagePlan> stages) throws InterruptedException {
        return new StageRunner(fake, Events.none(), new StageLog(), s -> s.replace("secret", "******"),
                FakeTime.at("2026-12-01T10:00:00Z").source()).run(stages).results();
    }

    @Test
    void upgradeDeploysTheReleaseSeedsUpdatesToTheWorkspaceThenVerifiesAndTests() throws Exception {
        Fake fake = new Fake();
        List<StageResult> r = run(fake, List.of(
                new StagePlan.Install(false, WORKSPACE, List.of(cmd("tests", "test -s /www/index.html"))),
                new StagePlan.Upgrade(true, OLD, WORKSPACE, NO_CHANGE, List.of(cmd("seed", "echo marker > /data/marker")),
                        List.of(cmd("verify", "grep -q marker /data/marker")), List.of(cmd("tests", "test -s /www/index.html")))));
        assertEquals(List.of("deploy workspace", "tests test -s /www/index.html", "reset", "deploy 1.0.0+1.0",
                "seed echo marker > /data/marker", "update workspace", "verify grep -q marker /data/marker",
                "tests test -s /www/index.html"), fake.calls);
        assertEquals(List.of(Status.PASS, Status.PASS), r.stream().map(StageResult::status).toList());
        assertEquals(List.of("seed", "verify", "tests"), r.get(1).commands().stream().map(CommandResult::kind).toList());
    }

    @Test
    void aStageThatCannotRunForLackOfAnEarlierReleaseIsSkippedWithTheReasonAndDeploysNothing() throws Exception {
        Fake fake = new Fake();
        List<StageResult> r = run(fake, List.of(new StagePlan.NotRunnable("upgrade", false, "no earlier release of the recipe is tagged")));
        assertEquals(Status.SKIPPED, r.getFirst().status());
        assertTrue(r.getFirst().message().contains("no earlier release"), r.getFirst().message());
        assertEquals(List.of(), fake.calls);
        assertEquals("run: upgrade SKIPPED", StageRunner.summary("run", r));
    }

    @Test
    void aStageThePlanCouldNotPrepareFailsWithTheReason() throws Exception {
        StageResult r = run(new Fake(), List.of(new StagePlan.NotRunnable("upgrade", true, "shallow clone without tags; git fetch --tags")))
                .getFirst();
        assertEquals(Status.FAIL, r.status());
        assertTrue(r.message().contains("git fetch --tags"), r.message());
    }

    @Test
    void aFailingTestFailsItsStageButLaterStagesStillRunAndTheSummaryNamesIt() throws Exception {
        Fake fake = new Fake();
        fake.failing = Set.of("false");
        List<TestPlan> tests = List.of(cmd("tests", "false"), cmd("tests", "true"));
        List<StageResult> r = run(fake, List.of(new StagePlan.Install(false, WORKSPACE, tests), new StagePlan.Custom(WORKSPACE, tests)));
        assertEquals(List.of(Status.FAIL, Status.FAIL), r.stream().map(StageResult::status).toList());
        assertEquals(List.of(Status.FAIL, Status.PASS), r.getFirst().commands().stream().map(CommandResult::status).toList());
        assertEquals("run: install FAIL, custom FAIL; failed in stage install, tests 'web: false': exit code 1", StageRunner.summary("run", r));
    }

    @Test
    void aFailingVerifyFailsTheUpgradeAndTheTestsStillRun() throws Exception {
        Fake fake = new Fake();
        fake.failing = Set.of("grep -q marker /data/marker");
        StageResult r = run(fake, List.of(upgrade(List.of(cmd("seed", "echo marker > /data/marker")),
                List.of(cmd("verify", "grep -q marker /data/marker")), List.of(cmd("tests", "true"))))).getFirst();
        assertEquals(Status.FAIL, r.status());
        assertEquals(List.of(Status.PASS, Status.FAIL, Status.PASS), r.commands().stream().map(CommandResult::status).toList());
        assertTrue(r.message().contains("verify 'web: grep -q marker /data/marker' failed: exit code 1"), r.message());
    }

    @Test
    void aReleaseThatDoesNotDeployFailsTheUpgradeAndSkipsItsCommands() throws Exception {
        Fake fake = new Fake();
        fake.releaseFails = true;
        StageResult r = run(fake, List.of(upgrade(List.of(cmd("seed", "echo m > /data/m")), List.of(), List.of(cmd("tests", "true")))))
                .getFirst();
        assertEquals(Status.FAIL, r.status());
        assertEquals("container exited with code 1", r.message());
        assertEquals(List.of(Status.SKIPPED, Status.SKIPPED), r.commands().stream().map(CommandResult::status).toList());
        assertEquals(List.of("deploy 1.0.0+1.0"), fake.calls);
    }

    @Test
    void aStageOnlyClearsTheRunWhenItsPlanSaysAnEarlierStageDeployed() throws Exception {
        Fake fake = new Fake();
        run(fake, List.of(new StagePlan.Install(false, WORKSPACE, List.of()), new StagePlan.Install(true, WORKSPACE, List.of())));
        assertEquals(List.of("deploy workspace", "reset", "deploy workspace"), fake.calls);
    }

    @Test
    void messagesAndOutputTailsAreMasked() throws Exception {
        Fake fake = new Fake() {
            @Override
            public CommandResult run(TestPlan c) {
                return new CommandResult(c.command().name(), c.kind(), Status.FAIL, Duration.ZERO, 2, "the secret leaked", "secret");
            }
        };
        CommandResult c = run(fake, List.of(new StagePlan.Custom(WORKSPACE, List.of(cmd("tests", "x"))))).getFirst().commands().getFirst();
        assertEquals("the ****** leaked", c.message());
        assertEquals("******", c.outputTail());
    }

    private static StagePlan backup(boolean deploy, String preHook) {
        var db = new io.longshore.deploy.backup.ServiceBackup("run_db", "db",
                List.of(new io.longshore.deploy.backup.VolumeBackup("data", "run_data", "/data", List.of("dump"))),
                new io.longshore.deploy.backup.ServiceBackup.Hooks(preHook, null, null, "load"));
        return new StagePlan.Backup(deploy, WORKSPACE, List.of(db), List.of("web-data of web (web has no backupbot.backup=true)"), List.of(cmd("seed", "echo marker > /data/m")),
                List.of(cmd("verify", "grep -q marker /data/m")), Path.of("/backups/run"));
    }

    @Test
    void backupSeedsArchivesBetweenHooksDestroysRedeploysRestoresThenVerifies() throws Exception {
        Fake fake = new Fake();
        StageResult r = run(fake, List.of(backup(true, "dump"))).getFirst();
        assertEquals(List.of("deploy workspace", "seed echo marker > /data/m", "backup pre-hook dump", "archive db", "manifest 1", "destroy",
                "update workspace", "restore db 1", "restore post-hook load", "verify grep -q marker /data/m"), fake.calls);
        assertEquals(Status.PASS, r.status());
        assertEquals(List.of("seed", "backup pre-hook", "step", "step", "step", "step", "step", "restore post-hook", "verify"),
                r.commands().stream().map(CommandResult::kind).toList());
    }

    @Test
    void aFailingPreHookFailsTheBackupNamingServiceHookAndExitCode() throws Exception {
        Fake fake = new Fake();
        fake.failing = Set.of("dump");
        StageResult r = run(fake, List.of(backup(false, "dump"))).getFirst();
        assertEquals(Status.FAIL, r.status());
        assertEquals("the backup pre-hook of db exited with code 1; its output ends: no marker", r.message());
        assertTrue(fake.calls.stream().noneMatch(c -> c.startsWith("archive") || c.equals("destroy")), fake.calls.toString());
        assertEquals(Status.SKIPPED, r.commands().getLast().status());
    }

    @Test
    void aVerifyThatFailsAfterTheRestoreListsWhatWasArchivedWithSizes() throws Exception {
        Fake fake = new Fake();
        fake.failing = Set.of("grep -q marker /data/m");
        StageResult r = run(fake, List.of(backup(false, null))).getFirst();
        assertEquals(Status.FAIL, r.status());
        assertTrue(r.message().contains("after the restore; archived: db: data/dump, 2.0 KiB in 1 file(s); not archived: web-data of web (web has no backupbot.backup=true); restore hooks that ran: db restore post-hook"),
                r.message());
    }
}
