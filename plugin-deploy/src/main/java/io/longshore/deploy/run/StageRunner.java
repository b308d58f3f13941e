package io.longshore.deploy.run;

import io.longshore.deploy.backup.BackupArchive;
import io.longshore.deploy.backup.ServiceBackup;
import io.longshore.deploy.plan.StagePlan;
import io.longshore.deploy.plan.TestPlan;
import io.longshore.kit.output.Console;
import io.longshore.kit.output.Events;
import io.longshore.kit.wait.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Runs the planned stages in order on one run name, each with its own result, duration and
 * output tail. A stage that fails does not stop the next one. What each stage deploys and runs is
 * in its plan; this decides only what a failure means for the rest of the stage (a release that
 * did not deploy is not seeded, a failed seed is not verified).
 */
public final class StageRunner {
    public static final List<String> STAGES = List.of("install", "upgrade", "backup", "custom");

    private final StageActions actions;
    private final Events events;
    private final StageLog log;
    private final UnaryOperator<String> mask;
    private final TimeSource time;

    /** Every stage's result, what each deploy of the run did in order, and the last deploy step's message. */
    public record Stages(List<StageResult> results, List<Rollout.Record> rollouts, String lastMessage) {
        public Stages {
            results = List.copyOf(results);
            rollouts = List.copyOf(rollouts);
        }

        /** The last deploy's record, or null when none ran. */
        public Rollout.Record last() {
            return rollouts.isEmpty() ? null : rollouts.getLast();
        }
    }

    public StageRunner(StageActions actions, Events events, StageLog log, UnaryOperator<String> mask, TimeSource time) {
        this.actions = actions;
        this.events = events;
        this.log = log;
        this.mask = mask;
        this.time = time;
    }

    public Stages run(List<StagePlan> stages) throws InterruptedException {
        List<StageResult> results = new ArrayList<>();
        Track track = new Track();
        for (StagePlan stage : stages) {
            events.step("stage " + stage.name());
            log.take();
            Instant start = time.now();
            Partial p = switch (stage) {
                case StagePlan.Install i -> install(i, track);
                case StagePlan.Upgrade u -> upgrade(u, track);
                case StagePlan.Custom c -> commands(new Partial(), c.tests());
                case StagePlan.Backup b -> backup(b, track);
                case StagePlan.NotRunnable n -> notRunnable(n);
            };
            Duration took = Duration.between(start, time.now());
            Status status = p.skipped != null ? Status.SKIPPED
                    : p.failure != null || p.commands.stream().anyMatch(c -> c.status() == Status.FAIL) ? Status.FAIL : Status.PASS;
            String message = p.skipped != null ? p.skipped : p.failure != null ? p.failure : firstFailure(p.commands);
            StageResult r = new StageResult(stage.name(), status, took, message == null ? null : mask.apply(message),
                    mask.apply(OutputTail.of(log.take())), p.commands);
            events.progress(line(r));
            results.add(r);
        }
        return new Stages(results, track.rollouts, track.message);
    }

    /** Each deploy step's record, and the last one's message. */
    private static final class Track {
        final List<Rollout.Record> rollouts = new ArrayList<>();
        String message;

        StageActions.Step keep(StageActions.Step step) {
            if (step.rollout() != null) {
                rollouts.add(step.rollout());
            }
            message = step.message();
            return step;
        }
    }

    /** What a stage has so far: the commands that ran, why it failed outside a command, or why it was skipped. */
    private static final class Partial {
        final List<CommandResult> commands = new ArrayList<>();
        String failure;
        String skipped;
    }

    private Partial install(StagePlan.Install stage, Track track) throws InterruptedException {
        Partial p = new Partial();
        if (stage.clearFirst() && !cleared(p)) {
            return skipRest(p, stage.tests(), "the run could not be cleared: " + p.failure);
        }
        StageActions.Step step = track.keep(actions.deploy(stage.release()));
        if (!step.ok()) {
            p.failure = step.message();
            return skipRest(p, stage.tests(), "the deploy failed");
        }
        return commands(p, stage.tests());
    }

    private Partial upgrade(StagePlan.Upgrade stage, Track track) throws InterruptedException {
        Partial p = new Partial();
        events.progress("upgrading from " + stage.from().label() + " to the workspace");
        if (stage.clearFirst() && !cleared(p)) {
            return p;
        }
        StageActions.Step old = track.keep(actions.deploy(stage.from()));
        if (!old.ok()) {
            p.failure = old.message();
            skipRest(p, stage.seed(), "the previous release did not deploy");
            skipRest(p, stage.verify(), "the previous release did not deploy");
            return skipRest(p, stage.tests(), "the previous release did not deploy");
        }
        commands(p, stage.seed());
        if (p.commands.stream().anyMatch(c -> c.status() == Status.FAIL)) {
            skipRest(p, stage.verify(), "seeding failed, so there is no marker to verify");
            return skipRest(p, stage.tests(), "seeding failed");
        }
        StageActions.Step update = track.keep(actions.update(stage.to()));
        if (!update.ok()) {
            p.failure = update.message();
            skipRest(p, stage.verify(), "the update failed");
            return skipRest(p, stage.tests(), "the update failed");
        }
        commands(p, stage.verify());
        return commands(p, stage.tests());
    }

    /**
     * The round trip: deploy (unless running), seed, back up each service between its hooks, destroy
     * the data, deploy again, restore each service between its hooks, verify. Each step is one
     * result (a JUnit test case); the first that fails ends the stage and says which it was.
     */
    private Partial backup(StagePlan.Backup stage, Track track) throws InterruptedException {
        Partial p = new Partial();
        String skip = null;
        if (stage.deploy()) {
            StageActions.Step step = track.keep(actions.deploy(stage.release()));
            if (!step.ok()) {
                p.failure = step.message();
                skipRest(p, stage.seed(), "the deploy failed");
                return skipRest(p, stage.verify(), "the deploy failed");
            }
        }
        commands(p, stage.seed());
        if (failed(p)) {
            return skipRest(p, stage.verify(), "seeding failed, so there is no marker to verify");
        }
        events.step("backup");
        List<BackupArchive> archived = new ArrayList<>();
        for (ServiceBackup s : stage.services()) {
            if (!hook(p, s, "backup pre-hook", s.hooks().backupPre())) {
                return skipRest(p, stage.verify(), "the backup did not finish");
            }
            Instant start = time.now();
            StageActions.Archived a = actions.archive(s, stage.dir());
            step(p, "archive " + s.shortName(), a.ok(), start, a.message());
            if (!a.ok()) {
                p.failure = a.message();
                return skipRest(p, stage.verify(), "the backup did not finish");
            }
            archived.addAll(a.archives());
            if (!hook(p, s, "backup post-hook", s.hooks().backupPost())) {
                return skipRest(p, stage.verify(), "the backup did not finish");
            }
        }
        if (!stepOk(p, "manifest", () -> actions.manifest(stage.dir(), archived))) {
            return skipRest(p, stage.verify(), "the backup did not finish");
        }
        events.step("destroy the data");
        if (!stepOk(p, "destroy the data", actions::destroyData)) {
            return skipRest(p, stage.verify(), "the data could not be destroyed");
        }
        if (!stepOk(p, "deploy again", () -> track.keep(actions.update(stage.release())))) {
            return skipRest(p, stage.verify(), "the release did not deploy again");
        }
        events.step("restore");
        List<String> restoreHooks = new ArrayList<>();
        for (ServiceBackup s : stage.services()) {
            if (!hook(p, s, "restore pre-hook", s.hooks().restorePre())) {
                return skipRest(p, stage.verify(), "the restore did not finish");
            }
            List<BackupArchive> mine = archived.stream().filter(x -> x.service().equals(s.shortName())).toList();
            if (!stepOk(p, "restore " + s.shortName(), () -> actions.restore(s, mine))) {
                return skipRest(p, stage.verify(), "the restore did not finish");
            }
            if (!hook(p, s, "restore post-hook", s.hooks().restorePost())) {
                return skipRest(p, stage.verify(), "the restore did not finish");
            }
            s.hooks().lines().stream().filter(h -> h.startsWith("restore")).forEach(h -> restoreHooks.add(s.shortName() + " " + h.substring(0, h.indexOf(':'))));
        }
        int before = p.commands.size();
        commands(p, stage.verify());
        if (p.commands.subList(before, p.commands.size()).stream().anyMatch(c -> c.status() == Status.FAIL)) {
            p.failure = firstFailure(p.commands) + " after the restore; archived: "
                    + (archived.isEmpty() ? "nothing" : String.join("; ", archived.stream().map(BackupArchive::describe).toList()))
                    + (stage.notArchived().isEmpty() ? "" : "; not archived: " + String.join("; ", stage.notArchived()))
                    + "; restore hooks that ran: " + (restoreHooks.isEmpty() ? "none" : String.join(", ", restoreHooks));
        }
        return p;
    }

    /** A step of a backup, as the stage's results (and JUnit) list it. */
    @FunctionalInterface
    private interface BackupStep {
        StageActions.Step run() throws InterruptedException;
    }

    private boolean stepOk(Partial p, String name, BackupStep step) throws InterruptedException {
        Instant start = time.now();
        StageActions.Step s = step.run();
        step(p, name, s.ok(), start, s.message());
        if (!s.ok()) {
            p.failure = name + " failed: " + s.message();
        }
        return s.ok();
    }

    private void step(Partial p, String name, boolean ok, Instant start, String message) {
        CommandResult r = new CommandResult(name, "step", ok ? Status.PASS : Status.FAIL, Duration.between(start, time.now()), null,
                ok || message == null ? null : mask.apply(message), null);
        events.progress("  " + line(r));
        p.commands.add(r);
    }

    /** Runs one hook when the service has it; false (with the sentence in {@code p}) when it failed. */
    private boolean hook(Partial p, ServiceBackup s, String which, String command) throws InterruptedException {
        if (command == null) {
            return true;
        }
        commands(p, List.of(StagePlan.Backup.hook(s, which, command)));
        CommandResult r = p.commands.getLast();
        if (r.status() != Status.FAIL) {
            return true;
        }
        String tail = r.outputTail() == null || r.outputTail().isBlank() ? "" : "; its output ends: "
                + String.join(" / ", r.outputTail().lines().toList().subList(Math.max(0, (int) r.outputTail().lines().count() - 3),
                        (int) r.outputTail().lines().count()));
        p.failure = "the " + which + " of " + s.shortName() + (r.exitCode() != null ? " exited with code " + r.exitCode() : " failed: " + r.message())
                + tail;
        return false;
    }

    private static boolean failed(Partial p) {
        return p.commands.stream().anyMatch(c -> c.status() == Status.FAIL);
    }

    private static Partial notRunnable(StagePlan.NotRunnable stage) {
        Partial p = new Partial();
        if (stage.fails()) {
            p.failure = stage.reason();
        } else {
            p.skipped = stage.reason();
        }
        return p;
    }

    /** Clears what an earlier stage deployed; false (with the reason in {@code p}) when it could not. */
    private boolean cleared(Partial p) throws InterruptedException {
        StageActions.Step reset = actions.reset();
        if (!reset.ok()) {
            p.failure = "clearing the earlier stage's objects: " + reset.message();
            return false;
        }
        return true;
    }

    private Partial commands(Partial p, List<TestPlan> list) throws InterruptedException {
        for (TestPlan c : list) {
            CommandResult r = actions.run(c);
            r = new CommandResult(r.name(), r.kind(), r.status(), r.duration(), r.exitCode(),
                    r.message() == null ? null : mask.apply(r.message()), r.outputTail() == null ? null : mask.apply(r.outputTail()));
            events.progress("  " + line(r));
            if (r.status() == Status.FAIL && r.outputTail() != null && !r.outputTail().isEmpty()) {
                r.outputTail().lines().forEach(l -> events.progress("    | " + l));
            }
            p.commands.add(r);
        }
        return p;
    }

    private static Partial skipRest(Partial p, List<TestPlan> list, String why) {
        for (TestPlan c : list) {
            p.commands.add(new CommandResult(c.command().name(), c.kind(), Status.SKIPPED, Duration.ZERO, null, why, null));
        }
        return p;
    }

    private static String firstFailure(List<CommandResult> commands) {
        return commands.stream().filter(c -> c.status() == Status.FAIL).findFirst()
                .map(c -> c.kind() + " '" + c.name() + "' failed: " + c.message()).orElse(null);
    }

    /** {@code install PASS 12.3s} or {@code upgrade FAIL 20.1s: verify 'web: grep ...' failed: exit code 1}. */
    public static String line(StageResult r) {
        return r.name() + " " + r.status() + " " + Console.seconds(r.duration()) + (r.status() == Status.PASS || r.message() == null ? "" : ": " + r.message());
    }

    /** {@code PASS tests 'serves the index' 0.3s}. */
    public static String line(CommandResult c) {
        return c.status() + " " + c.kind() + " '" + c.name() + "' " + Console.seconds(c.duration())
                + (c.status() == Status.PASS || c.message() == null ? "" : ": " + c.message());
    }

    /** The summary the run ends with: every stage's status, and the first failing stage and command by name. */
    public static String summary(String run, List<StageResult> results) {
        StringBuilder sb = new StringBuilder();
        for (StageResult r : results) {
            sb.append(sb.isEmpty() ? "" : ", ").append(r.name()).append(' ').append(r.status());
        }
        Optional<StageResult> failed = results.stream().filter(r -> r.status() == Status.FAIL).findFirst();
        if (failed.isEmpty()) {
            return run + ": " + sb;
        }
        StageResult f = failed.get();
        Optional<CommandResult> cmd = f.commands().stream().filter(c -> c.status() == Status.FAIL).findFirst();
        String where = cmd.map(c -> "stage " + f.name() + ", " + c.kind() + " '" + c.name() + "': " + c.message())
                .orElse("stage " + f.name() + ": " + f.message());
        return run + ": " + sb + "; failed in " + where;
    }
}
