package io.longshore.deploy.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.longshore.kit.output.Events;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StageRunnerTest {
    private static TestCommand cmd(String service, String command) {
        return new TestCommand(service + ": " + command, service, List.of("sh", "-c", command), TestCommand.DEFAULT_TIMEOUT, null);
    }

    /** Records what the stages asked for; commands named in {@code failing} exit 1. */
    private static class Fake implements StageActions {
        final List<String> calls = new ArrayList<>();
        Optional<RecipeVersion> source = Optional.of(RecipeVersion.parse("1.0.0+1.0"));
        UpgradeSourceException sourceProblem;
        Set<String> failing = Set.of();
        boolean releaseFails;

        public Step deployWorkspace(boolean update) {
            calls.add(update ? "update workspace" : "deploy workspace");
            return Step.ok("deployed");
        }

        public Optional<RecipeVersion> upgradeSource() throws UpgradeSourceException {
            if (sourceProblem != null) {
                throw sourceProblem;
            }
            return source;
        }

        public Step deployRelease(RecipeVersion release) {
            calls.add("deploy " + release.tag());
            return releaseFails ? Step.failed("container exited with code 1") : Step.ok("deployed");
        }

        public Step reset() {
            calls.add("reset");
            return Step.ok("removed");
        }

        public CommandResult run(TestCommand c, String kind) {
            calls.add(kind + " " + c.display());
            boolean fail = failing.contains(c.display());
            return new CommandResult(c.name(), kind, fail ? Status.FAIL : Status.PASS, Duration.ofMillis(5), fail ? 1 : 0,
                    fail ? "exit code 1" : null, fail ? "no marker" : "");
        }
    }

    private static List<StageResult> run(Fake fake, List<String> stages, List<TestCommand> tests, List<TestCommand> seed,
                                         List<TestCommand> verify) throws InterruptedException {
        return new StageRunner(fake, Events.none(), new StageLog(), s -> s.replace("secret", "******"), Clock.systemUTC(),
                tests, seed, verify).run(stages);
    }

    @Test
    void upgradeDeploysTheReleaseSeedsUpdatesToTheWorkspaceThenVerifiesAndTests() throws Exception {
        Fake fake = new Fake();
        List<StageResult> r = run(fake, List.of("install", "upgrade"), List.of(cmd("web", "test -s /www/index.html")),
                List.of(cmd("web", "echo marker > /data/marker")), List.of(cmd("web", "grep -q marker /data/marker")));
        assertEquals(List.of("deploy workspace", "tests test -s /www/index.html", "reset", "deploy 1.0.0+1.0",
                "seed echo marker > /data/marker", "update workspace", "verify grep -q marker /data/marker",
                "tests test -s /www/index.html"), fake.calls);
        assertEquals(List.of(Status.PASS, Status.PASS), r.stream().map(StageResult::status).toList());
        assertEquals(List.of("seed", "verify", "tests"), r.get(1).commands().stream().map(CommandResult::kind).toList());
    }

    @Test
    void noEarlierReleaseSkipsTheUpgradeWithTheReasonAndDeploysNothing() throws Exception {
        Fake fake = new Fake();
        fake.source = Optional.empty();
        List<StageResult> r = run(fake, List.of("upgrade"), List.of(), List.of(), List.of());
        assertEquals(Status.SKIPPED, r.getFirst().status());
        assertTrue(r.getFirst().message().contains("no earlier release"), r.getFirst().message());
        assertEquals(List.of(), fake.calls);
        assertEquals("run: upgrade SKIPPED", StageRunner.summary("run", r));
    }

    @Test
    void aShallowCloneFailsTheUpgradeSayingHowToFetchTheTags() throws Exception {
        Fake fake = new Fake();
        fake.sourceProblem = new UpgradeSourceException("shallow clone without tags; git fetch --tags", true);
        StageResult r = run(fake, List.of("upgrade"), List.of(), List.of(), List.of()).getFirst();
        assertEquals(Status.FAIL, r.status());
        assertTrue(r.message().contains("git fetch --tags"), r.message());
    }

    @Test
    void aFailingTestFailsItsStageButLaterStagesStillRunAndTheSummaryNamesIt() throws Exception {
        Fake fake = new Fake();
        fake.failing = Set.of("false");
        List<StageResult> r = run(fake, List.of("install", "custom"), List.of(cmd("web", "false"), cmd("web", "true")), List.of(), List.of());
        assertEquals(List.of(Status.FAIL, Status.FAIL), r.stream().map(StageResult::status).toList());
        assertEquals(List.of(Status.FAIL, Status.PASS), r.getFirst().commands().stream().map(CommandResult::status).toList());
        assertEquals("run: install FAIL, custom FAIL; failed in stage install, tests 'web: false': exit code 1", StageRunner.summary("run", r));
    }

    @Test
    void aFailingVerifyFailsTheUpgradeAndTheTestsStillRun() throws Exception {
        Fake fake = new Fake();
        fake.failing = Set.of("grep -q marker /data/marker");
        StageResult r = run(fake, List.of("upgrade"), List.of(cmd("web", "true")), List.of(cmd("web", "echo marker > /data/marker")),
                List.of(cmd("web", "grep -q marker /data/marker"))).getFirst();
        assertEquals(Status.FAIL, r.status());
        assertEquals(List.of(Status.PASS, Status.FAIL, Status.PASS), r.commands().stream().map(CommandResult::status).toList());
        assertTrue(r.message().contains("verify 'web: grep -q marker /data/marker' failed: exit code 1"), r.message());
    }

    @Test
    void aReleaseThatDoesNotDeployFailsTheUpgradeAndSkipsItsCommands() throws Exception {
        Fake fake = new Fake();
        fake.releaseFails = true;
        StageResult r = run(fake, List.of("upgrade"), List.of(cmd("web", "true")), List.of(cmd("web", "echo m > /data/m")), List.of()).getFirst();
        assertEquals(Status.FAIL, r.status());
        assertEquals("container exited with code 1", r.message());
        assertEquals(List.of(Status.SKIPPED, Status.SKIPPED), r.commands().stream().map(CommandResult::status).toList());
        assertEquals(List.of("deploy 1.0.0+1.0"), fake.calls);
    }

    @Test
    void messagesAndOutputTailsAreMasked() throws Exception {
        Fake fake = new Fake() {
            @Override
            public CommandResult run(TestCommand c, String kind) {
                return new CommandResult(c.name(), kind, Status.FAIL, Duration.ZERO, 2, "the secret leaked", "secret");
            }
        };
        CommandResult c = run(fake, List.of("custom"), List.of(cmd("web", "x")), List.of(), List.of()).getFirst().commands().getFirst();
        assertEquals("the ****** leaked", c.message());
        assertEquals("******", c.outputTail());
    }
}
