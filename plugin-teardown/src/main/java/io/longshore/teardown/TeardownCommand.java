package io.longshore.teardown;

import io.longshore.kit.engine.Engine;
import io.longshore.kit.lock.HostLock;
import io.longshore.kit.lock.LockSettings;
import io.longshore.kit.lock.LockTimeoutException;
import io.longshore.kit.run.Job;
import io.longshore.kit.run.Launcher;
import io.longshore.kit.run.Outcome;
import io.longshore.kit.run.Plugin;
import io.longshore.kit.settings.Bounds;
import io.longshore.kit.settings.InvalidSettingException;
import io.longshore.kit.settings.ReportSetting;
import io.longshore.kit.settings.StringList;
import io.longshore.kit.stack.Janitor;
import io.longshore.kit.stack.JanitorPolicy;
import io.longshore.kit.stack.Protect;
import io.longshore.kit.stack.Teardown;
import io.longshore.kit.stack.TeardownGuard;
import io.longshore.kit.stack.TeardownResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "teardown", mixinStandardHelpOptions = true,
        description = "Remove a run's stack and everything it created, then verify that nothing is left; "
                + "janitor mode reaps expired runs.")
public final class TeardownCommand implements Plugin {

    @Option(names = "--stack", description = "The run (stack name) to tear down")
    String stack;

    @Option(names = "--janitor", arity = "0..1", fallbackValue = "true", defaultValue = "false",
            description = "Reap every longshore run whose io.longshore.expires has passed")
    boolean janitor;

    @Option(names = "--ttl", description = "janitor: reap runs older than this instead of trusting their expiry label")
    @Bounds(min = "0s", aboveMin = true)
    Duration ttl;

    @Option(names = "--protect", description = "Stack name globs that are never touched")
    StringList protect;

    @Option(names = "--dry-run", arity = "0..1", fallbackValue = "true", defaultValue = "false",
            description = "Print the plan (every object that would go, by kind) and change nothing")
    boolean dryRun;

    @Option(names = "--timeout", defaultValue = "2m", description = "Deadline for removing and verifying one run")
    @Bounds(min = "0s", aboveMin = true)
    Duration timeout;

    @Option(names = "--helper-image", description = "Image of the helper job that clears and verifies the run on every other "
            + "swarm node, referenced by its ID so it is never pulled (default: the image this plugin runs from, else longshore/teardown)")
    String helperImage;

    @Mixin
    ReportSetting report;

    @Mixin
    LockSettings lock;

    public static void main(String[] args) {
        Launcher.main(new TeardownCommand(), args);
    }

    @Override
    public void validate(Job job) throws InvalidSettingException {
        if (!janitor && (stack == null || stack.isBlank())) {
            throw InvalidSettingException.of("--stack", "is required unless PLUGIN_JANITOR is true: the run (stack name) to tear down");
        }
        if (stack != null && !stack.isBlank()) {
            var glob = protect().matching(stack.trim());
            if (glob.isPresent()) {
                throw InvalidSettingException.of("--stack", "'" + stack.trim() + "' is protected by PLUGIN_PROTECT glob '"
                        + glob.get() + "'; protected stacks are never touched");
            }
        }
        lock.validate();
    }

    @Override
    public Outcome run(Job job) throws InterruptedException {
        try (Engine engine = Engine.connect(job).ping();
             HostLock.Held held = HostLock.acquire(job, engine, lock)) {
            Teardown teardown = Teardown.on(engine, job.events(), helperImage);
            return janitor ? sweep(job, teardown) : one(job, teardown, stack.trim());
        } catch (LockTimeoutException e) {
            return e.outcome();
        }
    }

    private Outcome one(Job job, Teardown teardown, String run) throws InterruptedException {
        if (dryRun) {
            TeardownResult plan = teardown.dryRun(run);
            return new Outcome.Ok(plan.summary(), plan.describe());
        }
        // SIGTERM while this runs: the exit hook waits for the teardown to finish (bounded by --timeout).
        try (TeardownGuard guard = TeardownGuard.register(job.hooks(), teardown, run, timeout)) {
            TeardownResult r = guard.run();
            var cancelled = job.hooks().cancellation();
            if (cancelled.isPresent()) {
                return new Outcome.Cancelled(cancelled.get().sentence(r.aftermath()), r.describe());
            }
            return r.clean() ? new Outcome.Ok(r.summary(), r.describe()) : new Outcome.Failed(r.summary(), r.describe());
        }
    }

    private Outcome sweep(Job job, Teardown teardown) throws InterruptedException {
        JanitorPolicy policy = new JanitorPolicy(Instant.now(), ttl, protect());
        Janitor.JanitorReport r = new Janitor(teardown, job.events(), job.hooks()).sweep(policy, timeout, dryRun);
        return r.clean() ? new Outcome.Ok(r.summary(), r.describe()) : new Outcome.Failed(r.summary(), r.describe());
    }

    private Protect protect() {
        return new Protect(protect == null ? List.of() : protect.values());
    }
}
