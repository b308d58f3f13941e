package io.longshore.deploy.stage;

import io.longshore.kit.output.Events;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Runs the stages in order on one run name, each with its own result, duration and output tail.
 * A stage that fails does not stop the next one. {@code install} and {@code upgrade} each start
 * from nothing: when an earlier stage deployed, its objects (volumes included) are removed first,
 * so the upgrade's data really was written by the old release and read by the new one.
 */
public final class StageRunner {
    public static final List<String> STAGES = List.of("install", "upgrade", "custom");

    private final StageActions actions;
    private final Events events;
    private final StageLog log;
    private final UnaryOperator<String> mask;
    private final Clock clock;
    private final List<TestCommand> tests;
    private final List<TestCommand> seed;
    private final List<TestCommand> verify;
    private boolean deployed;

    public StageRunner(StageActions actions, Events events, StageLog log, UnaryOperator<String> mask, Clock clock,
                       List<TestCommand> tests, List<TestCommand> seed, List<TestCommand> verify) {
        this.actions = actions;
        this.events = events;
        this.log = log;
        this.mask = mask;
        this.clock = clock;
        this.tests = List.copyOf(tests);
        this.seed = List.copyOf(seed);
        this.verify = List.copyOf(verify);
    }

    public List<StageResult> run(List<String> stages) throws InterruptedException {
        List<StageResult> results = new ArrayList<>();
        for (String stage : stages) {
            events.step("stage " + stage);
            log.take();
            Instant start = clock.instant();
            Partial p = switch (stage) {
                case "install" -> install();
                case "upgrade" -> upgrade();
                case "custom" -> commands(new Partial(), "tests", tests);
                default -> throw new IllegalArgumentException("unknown stage " + stage);
            };
            Duration took = Duration.between(start, clock.instant());
            Status status = p.skipped != null ? Status.SKIPPED
                    : p.failure != null || p.commands.stream().anyMatch(c -> c.status() == Status.FAIL) ? Status.FAIL : Status.PASS;
            String message = p.skipped != null ? p.skipped : p.failure != null ? p.failure : firstFailure(p.commands);
            StageResult r = new StageResult(stage, status, took, message == null ? null : mask.apply(message),
                    mask.apply(OutputTail.of(log.take())), p.commands);
            events.progress(line(r));
            results.add(r);
        }
        return results;
    }

    /** What a stage has so far: the commands that ran, why it failed outside a command, or why it was skipped. */
    private static final class Partial {
        final List<CommandResult> commands = new ArrayList<>();
        String failure;
        String skipped;
    }

    private Partial install() throws InterruptedException {
        Partial p = new Partial();
        if (!fresh(p)) {
            return skipRest(p, "tests", tests, "the run could not be cleared: " + p.failure);
        }
        StageActions.Step step = actions.deployWorkspace(false);
        deployed = true;
        if (!step.ok()) {
            p.failure = step.message();
            return skipRest(p, "tests", tests, "the deploy failed");
        }
        return commands(p, "tests", tests);
    }

    private Partial upgrade() throws InterruptedException {
        Partial p = new Partial();
        Optional<RecipeVersion> from;
        try {
            from = actions.upgradeSource();
        } catch (UpgradeSourceException e) {
            if (e.failsStage()) {
                p.failure = e.getMessage();
            } else {
                p.skipped = e.getMessage();
            }
            return p;
        } catch (IOException e) {
            p.failure = "cannot read the recipe's tags: " + e.getMessage();
            return p;
        }
        if (from.isEmpty()) {
            p.skipped = "no earlier release of the recipe is tagged in its repository, so there is nothing to upgrade from";
            return p;
        }
        RecipeVersion release = from.get();
        events.progress("upgrading from " + release.tag() + " to the workspace");
        if (!fresh(p)) {
            return p;
        }
        StageActions.Step old = actions.deployRelease(release);
        deployed = true;
        if (!old.ok()) {
            p.failure = old.message();
            skipRest(p, "seed", seed, "the previous release did not deploy");
            skipRest(p, "verify", verify, "the previous release did not deploy");
            return skipRest(p, "tests", tests, "the previous release did not deploy");
        }
        commands(p, "seed", seed);
        if (p.commands.stream().anyMatch(c -> c.status() == Status.FAIL)) {
            skipRest(p, "verify", verify, "seeding failed, so there is no marker to verify");
            return skipRest(p, "tests", tests, "seeding failed");
        }
        StageActions.Step update = actions.deployWorkspace(true);
        if (!update.ok()) {
            p.failure = update.message();
            skipRest(p, "verify", verify, "the update failed");
            return skipRest(p, "tests", tests, "the update failed");
        }
        commands(p, "verify", verify);
        return commands(p, "tests", tests);
    }

    /** Clears what an earlier stage deployed; false (with the reason in {@code p}) when it could not. */
    private boolean fresh(Partial p) throws InterruptedException {
        if (!deployed) {
            return true;
        }
        StageActions.Step reset = actions.reset();
        if (!reset.ok()) {
            p.failure = "clearing the earlier stage's objects: " + reset.message();
            return false;
        }
        deployed = false;
        return true;
    }

    private Partial commands(Partial p, String kind, List<TestCommand> list) throws InterruptedException {
        for (TestCommand c : list) {
            CommandResult r = actions.run(c, kind);
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

    private static Partial skipRest(Partial p, String kind, List<TestCommand> list, String why) {
        for (TestCommand c : list) {
            p.commands.add(new CommandResult(c.name(), kind, Status.SKIPPED, Duration.ZERO, null, why, null));
        }
        return p;
    }

    private static String firstFailure(List<CommandResult> commands) {
        return commands.stream().filter(c -> c.status() == Status.FAIL).findFirst()
                .map(c -> c.kind() + " '" + c.name() + "' failed: " + c.message()).orElse(null);
    }

    /** {@code install PASS 12.3s} or {@code upgrade FAIL 20.1s: verify 'web: grep ...' failed: exit code 1}. */
    public static String line(StageResult r) {
        return r.name() + " " + r.status() + " " + seconds(r.duration()) + (r.status() == Status.PASS || r.message() == null ? "" : ": " + r.message());
    }

    /** {@code PASS tests 'serves the index' 0.3s}. */
    public static String line(CommandResult c) {
        return c.status() + " " + c.kind() + " '" + c.name() + "' " + seconds(c.duration())
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

    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
    }
}
