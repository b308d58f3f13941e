package io.longshore.deploy.run;

import io.longshore.deploy.DeploySettings;
import io.longshore.deploy.RunHousekeeping;
import io.longshore.deploy.backup.BackupArchive;
import io.longshore.deploy.backup.BackupManifest;
import io.longshore.deploy.backup.ServiceBackup;
import io.longshore.deploy.backup.VolumeArchiver;
import io.longshore.deploy.plan.ReleasePlan;
import io.longshore.deploy.plan.RunPlan;
import io.longshore.deploy.plan.TestPlan;
import io.longshore.kit.engine.Engine;
import io.longshore.kit.lock.LockTimeoutException;
import io.longshore.kit.output.Events;
import io.longshore.kit.run.Job;
import io.longshore.kit.run.Outcome;
import io.longshore.kit.run.ShutdownHooks;
import io.longshore.kit.wait.TimeSource;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Carries out a {@link RunPlan} on the engine: the host lock, the run-start janitor, the stages
 * (through {@link StageRunner} with a {@link Rollout} for each deploy), the teardown its policy
 * asks for (also from SIGTERM), the results and the JUnit report. Takes no decision the plan does
 * not hold; what happened comes back as one {@link RunResult}.
 */
public final class RunExecutor {
    private final Job job;
    private final Engine engine;
    private final RunHousekeeping kit;
    private final List<String> protect;
    private final String lockName;
    private final Path junitReport;
    private final TimeSource time;

    public RunExecutor(Job job, Engine engine, RunHousekeeping kit, DeploySettings settings, String lockName, TimeSource time) {
        this.job = job;
        this.engine = engine;
        this.kit = kit;
        this.protect = settings.protect();
        this.lockName = lockName;
        this.junitReport = settings.junitReport();
        this.time = time;
    }

    public Outcome execute(RunPlan plan) throws Exception {
        Events events = job.events();
        events.planSteps(plan.steps(lockName));
        // the lock first, so that the janitor's teardowns are serialised with other deploys too
        if (lockName != null) {
            events.step("lock " + lockName);
        }
        try (AutoCloseable held = kit.lock()) {
            events.step("janitor");
            events.progress(kit.reapExpired(protect));
            if (job.hooks().shuttingDown()) {
                return notStarted(plan.stack());
            }
            RunResult result = run(plan);
            report(plan, result);
            // SIGTERM: the stages stopped short and say why they failed; the run's last sentence says it was cancelled
            Optional<ShutdownHooks.Cancellation> cancelled = job.hooks().cancellation();
            if (cancelled.isPresent()) {
                return new Outcome.Cancelled(cancelled.get().sentence(result.aftermath()), result.details());
            }
            return result.outcome();
        } catch (LockTimeoutException e) {
            return job.hooks().shuttingDown() ? notStarted(plan.stack()) : e.outcome();
        }
    }

    /** SIGTERM before the run was deployed (waiting for the lock, reaping): nothing of it exists. */
    private Outcome notStarted(String stack) {
        ShutdownHooks.Cancellation c = job.hooks().cancellation().orElseThrow();
        return new Outcome.Cancelled(c.sentence("nothing of " + stack + " was created"), null);
    }

    private RunResult run(RunPlan plan) throws InterruptedException {
        String stack = plan.stack();
        StageLog log = new StageLog();
        Events events = Events.fanOut(job.events(), log);
        Instant started = time.now();
        DeploySettings.Teardown policy = plan.teardown();
        StageRunner.Stages stages = new StageRunner.Stages(List.of(), List.of(), null);
        RunHousekeeping.Cleanup cleanup = null;
        Instant tornDown = null;
        RunHousekeeping.Guard guard = kit.guard(stack, policy == DeploySettings.Teardown.always);
        try {
            stages = new StageRunner(actions(plan, events), events, log, job.masker()::mask, time).run(plan.stages());
        } finally {
            boolean failed = stages.results().isEmpty() || stages.results().stream().anyMatch(r -> r.status() == Status.FAIL);
            boolean tear = policy == DeploySettings.Teardown.always || (policy == DeploySettings.Teardown.on_success && !failed);
            try {
                if (tear) {
                    job.events().step("teardown " + stack);
                    cleanup = guard.tearDown();
                    tornDown = time.now();
                    job.events().progress(cleanup.summary());
                } else {
                    job.events().progress("teardown: " + policy + ", so " + stack + " is left running (the janitor reaps it after it expires)");
                }
            } finally {
                guard.close();
            }
        }
        return new RunResult(plan, stages, cleanup, started, tornDown);
    }

    /** The stages' actions on this engine. */
    private StageActions actions(RunPlan plan, Events events) {
        Rollout rollout = new Rollout(engine, events, job.masker(), job.hooks(), plan, Rollout.healthClient(job, plan.health().insecure()), time);
        EngineCommandRunner commands = new EngineCommandRunner(engine, job.masker(), job.hooks());
        VolumeArchiver archiver = new VolumeArchiver(engine, events);
        return new StageActions() {
            @Override
            public Step deploy(ReleasePlan release) throws InterruptedException {
                return rollout.deploy(release);
            }

            @Override
            public Step update(ReleasePlan target) throws InterruptedException {
                return rollout.update(target);
            }

            @Override
            public Step reset() throws InterruptedException {
                events.progress("clearing what the earlier stage left of " + plan.stack());
                RunHousekeeping.Cleanup c = kit.clear(plan.stack());
                events.progress(c.summary());
                return c.clean() ? Step.ok(c.summary()) : Step.failed(c.summary());
            }

            @Override
            public CommandResult run(TestPlan command) throws InterruptedException {
                return commands.run(command);
            }

            @Override
            public Archived archive(ServiceBackup service, Path dir) {
                try {
                    List<BackupArchive> written = archiver.archive(service, dir);
                    return new Archived(true, written.size() + " archive(s) of " + service.shortName(), written);
                } catch (VolumeArchiver.ArchiveException e) {
                    return new Archived(false, e.getMessage(), List.of());
                }
            }

            @Override
            public Step manifest(Path dir, List<BackupArchive> archives) {
                try {
                    Path file = BackupManifest.write(dir, plan.stack(), archives);
                    events.progress("wrote " + file + " (" + archives.size() + " archive(s))");
                    return Step.ok("wrote " + file);
                } catch (java.io.IOException e) {
                    return Step.failed("cannot write the manifest into " + dir + ": " + e.getMessage());
                }
            }

            @Override
            public Step destroyData() throws InterruptedException {
                events.progress("removing the services and volumes of " + plan.stack() + " (its secrets, configs and networks stay)");
                RunHousekeeping.Cleanup c = kit.clearData(plan.stack());
                events.progress(c.summary());
                return c.clean() ? Step.ok(c.summary()) : Step.failed(c.summary());
            }

            @Override
            public Step restore(ServiceBackup service, List<BackupArchive> archives) {
                try {
                    archiver.restore(service, archives);
                    return Step.ok("restored " + archives.size() + " archive(s) into " + service.shortName());
                } catch (VolumeArchiver.ArchiveException e) {
                    return Step.failed(e.getMessage());
                }
            }
        };
    }

    private void report(RunPlan plan, RunResult result) {
        List<StageResult> results = result.stages().results();
        if (results.size() > 1 || results.stream().anyMatch(r -> !r.commands().isEmpty())) {
            job.events().step("results");
            for (StageResult r : results) {
                job.events().progress(StageRunner.line(r));
                r.commands().forEach(c -> job.events().progress("  " + StageRunner.line(c)));
            }
        }
        if (junitReport != null) {
            try {
                String prefix = "deploy." + plan.recipeDir().toAbsolutePath().normalize().getFileName();
                JunitXml.write(junitReport, prefix, results, result.started());
                job.events().progress("wrote JUnit XML to " + junitReport);
            } catch (java.io.IOException e) {
                job.events().warn("cannot write the JUnit report: " + e.getMessage());
            }
        }
    }
}
