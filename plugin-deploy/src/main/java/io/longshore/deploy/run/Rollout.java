package io.longshore.deploy.run;

import io.longshore.deploy.DeploySettings;
import io.longshore.deploy.apply.ApplyException;
import io.longshore.deploy.apply.LiveStack;
import io.longshore.deploy.apply.StackApplier;
import io.longshore.deploy.apply.UpdatePlan;
import io.longshore.deploy.apply.UpdatePlanner;
import io.longshore.deploy.converge.ConvergeWatcher;
import io.longshore.deploy.converge.ServiceProgress;
import io.longshore.deploy.converge.TaskFailure;
import io.longshore.deploy.health.HealthGate;
import io.longshore.deploy.plan.ReleasePlan;
import io.longshore.deploy.plan.RunPlan;
import io.longshore.kit.engine.Engine;
import io.longshore.kit.engine.EngineApiException;
import io.longshore.kit.output.Events;
import io.longshore.kit.output.Masker;
import io.longshore.kit.run.ShutdownHooks;
import io.longshore.kit.run.UnreachableException;
import io.longshore.kit.settings.SettingFormats;
import io.longshore.kit.wait.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import okhttp3.OkHttpClient;

/**
 * One release put on the engine: created fresh or updated in place, converged, and health-checked,
 * as the run plan says. Each rollout returns what it did as a {@link Record}, the report's source.
 */
public final class Rollout {
    private final Engine engine;
    private final Events events;
    private final Masker masker;
    private final ShutdownHooks hooks;
    private final String stack;
    private final java.time.Duration convergeTimeout;
    private final DeploySettings.Health health;
    /** The health gate's client; made off the critical path (a TLS context takes a while), waited for at the first probe. */
    private final java.util.function.Supplier<OkHttpClient> http;
    private final TimeSource time;

    /**
     * What one deploy reached. {@code lastRunning} is when the last counted task started running
     * (engine time); the others are this process's clock. Null for what it did not reach.
     */
    public record Record(String release, boolean update, List<String> created, List<ServiceProgress> services, TaskFailure failure,
                         HealthGate.Result health, Instant started, Instant lastRunning, Instant converged, Instant failedAt,
                         Instant healthy) {
        public Record {
            created = List.copyOf(created);
            services = List.copyOf(services);
        }
    }

    /** For a run: its stack, converge deadline and health gate, as its plan says. */
    /**
     * The health gate's HTTP client, made on a virtual thread from now on: its TLS context takes a
     * while to build, and the stack deploys meanwhile. The first probe waits for it.
     */
    public static java.util.function.Supplier<OkHttpClient> healthClient(io.longshore.kit.run.Job job, boolean insecure) {
        java.util.concurrent.CompletableFuture<OkHttpClient> made = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> io.longshore.kit.http.HttpClients.create(io.longshore.kit.http.HttpOptions.defaults(
                        io.longshore.kit.http.HttpClients.userAgent(job.plugin())).withTls(insecure, null)),
                runnable -> Thread.ofVirtual().name("health client").start(runnable));
        return made::join;
    }

    public Rollout(Engine engine, Events events, Masker masker, ShutdownHooks hooks, RunPlan plan, java.util.function.Supplier<OkHttpClient> http,
                   TimeSource time) {
        this(engine, events, masker, hooks, plan.stack(), plan.converge().timeout(), plan.health(), http, time);
    }

    public Rollout(Engine engine, Events events, Masker masker, ShutdownHooks hooks, String stack, java.time.Duration convergeTimeout,
                   DeploySettings.Health health, java.util.function.Supplier<OkHttpClient> http, TimeSource time) {
        this.engine = engine;
        this.events = events;
        this.masker = masker;
        this.hooks = hooks;
        this.stack = stack;
        this.convergeTimeout = convergeTimeout;
        this.health = health;
        this.http = http;
        this.time = time;
    }

    /** Creates {@code release} as a fresh stack, converges and health-checks it. */
    public StageActions.Step deploy(ReleasePlan release) throws InterruptedException {
        events.step("deploy " + release.describe());
        Instant started = time.now();
        List<String> created;
        try {
            created = new StackApplier(engine, events, masker, release.recipe().env()).create(release.deploy()).all();
        } catch (ApplyException e) {
            return failedToApply(release, false, started, e.getMessage());
        } catch (EngineApiException e) {
            return failedToApply(release, false, started, "the engine refused " + e.getMessage());
        } catch (UnreachableException e) {
            return failedToApply(release, false, started, e.getMessage()); // the engine stayed away: the teardown still runs
        }
        return converge(release, false, started, created, Set.of());
    }

    /**
     * Updates the running stack to {@code target}: the update is planned from what runs now, with
     * the same rules as the run plan's projection, printed, then carried out.
     */
    public StageActions.Step update(ReleasePlan target) throws InterruptedException {
        return update(target, false);
    }

    /**
     * {@link #update(ReleasePlan)}; with {@code force}, every task is replaced even where the spec
     * did not change (swarm's force update), to redeploy a release that runs but is unhealthy.
     */
    public StageActions.Step update(ReleasePlan target, boolean force) throws InterruptedException {
        events.step((force ? "redeploy " : "update ") + target.describe());
        Instant started = time.now();
        UpdatePlan update;
        try {
            update = UpdatePlanner.plan(LiveStack.read(engine.read(), target.deploy()), target.deploy(), target.recipe().env());
            if (force) {
                update = forced(update, time.now().getEpochSecond());
            }
            update.lines().stream().filter(l -> !l.startsWith("keep")).forEach(l -> events.progress("plan: " + l));
            new StackApplier(engine, events, masker, target.recipe().env()).update(update, target.deploy());
        } catch (ApplyException e) {
            return failedToApply(target, true, started, e.getMessage());
        } catch (EngineApiException e) {
            return failedToApply(target, true, started, "the engine refused " + e.getMessage());
        } catch (UnreachableException e) {
            return failedToApply(target, true, started, e.getMessage()); // the engine stayed away: the teardown still runs
        }
        Set<String> updated = update.services().stream()
                .flatMap(c -> c instanceof UpdatePlan.ServiceChange.Update u ? java.util.stream.Stream.of(u.id()) : java.util.stream.Stream.empty())
                .collect(java.util.stream.Collectors.toSet());
        return converge(target, true, started, update.created(), updated);
    }

    /** The same update with every service's force-update counter set to {@code counter}. */
    private static UpdatePlan forced(UpdatePlan u, long counter) {
        List<UpdatePlan.ServiceChange> services = u.services().stream().map(s -> {
            var spec = s.target().spec().deepCopy();
            ((com.fasterxml.jackson.databind.node.ObjectNode) spec.path("TaskTemplate")).put("ForceUpdate", counter);
            var t = new io.longshore.deploy.convert.DeployPlan.ServicePlan(s.target().name(), s.target().shortName(), spec);
            return switch (s) {
                case UpdatePlan.ServiceChange.Create c -> (UpdatePlan.ServiceChange) new UpdatePlan.ServiceChange.Create(t);
                case UpdatePlan.ServiceChange.Update up -> new UpdatePlan.ServiceChange.Update(t, up.id(), up.version(),
                        java.util.stream.Stream.concat(up.changes().stream(), java.util.stream.Stream.of("forced")).toList());
            };
        }).toList();
        return new UpdatePlan(u.stack(), u.createNetworks(), u.createSecrets(), u.createConfigs(), u.recreatedConfigs(), services,
                u.removeServices(), u.kept());
    }

    /** Converges and health-checks what runs now as {@code release}, changing nothing. */
    public StageActions.Step check(ReleasePlan release) throws InterruptedException {
        return converge(release, true, time.now(), List.of(), Set.of());
    }

    private StageActions.Step failedToApply(ReleasePlan release, boolean update, Instant started, String why) {
        Record r = new Record(release.label(), update, List.of(), List.of(), null, null, started, null, null, time.now(), null);
        return new StageActions.Step(false, "deploy of " + release.describe() + " failed: " + why, r);
    }

    private StageActions.Step converge(ReleasePlan release, boolean update, Instant started, List<String> created, Set<String> updated)
            throws InterruptedException {
        String what = release.describe();
        events.step("converge");
        Instant deadline = time.now().plus(convergeTimeout);
        ConvergeWatcher watcher = new ConvergeWatcher(engine, events, hooks, time.clock());
        if (release.healthUrl() != null) {
            Thread.ofVirtual().name("health warm-up").start(() -> new HealthGate(http.get(), events, hooks, time).warmUp(release.healthUrl(), health.resolve()));
        }
        ConvergeWatcher.Result result = watcher.watch(stack, convergeTimeout, updated);
        List<ServiceProgress> services = result.services();
        Instant lastRunning = null;
        Instant converged = null;
        switch (result) {
            case ConvergeWatcher.Result.Converged cv -> {
                lastRunning = cv.lastRunning().equals(Instant.EPOCH) ? null : cv.lastRunning();
                converged = cv.convergedAt();
                events.progress("converged: " + summary(services));
            }
            case ConvergeWatcher.Result.Failed f -> {
                return failed(release, update, started, created, f);
            }
            case ConvergeWatcher.Result.TimedOut t -> {
                return timedOut(release, update, started, created, services);
            }
            case ConvergeWatcher.Result.Interrupted i -> {
                return interrupted(release, update, started, created, services);
            }
        }
        // Every task runs. They must keep running for the monitor window; the health gate probes
        // meanwhile, and the verdict needs both: a task that crashes in the window fails the deploy at once.
        Duration left = positive(Duration.between(time.now(), deadline));
        HealthGate.Result checked = null;
        ConvergeWatcher.Result held;
        if (release.healthUrl() == null) {
            held = watcher.steady(stack, left, updated);
        } else {
            events.step("health");
            FutureTask<HealthGate.Result> probing = new FutureTask<>(() -> new HealthGate(http.get(), events, hooks, time)
                    .check(release.healthUrl(), health.status(), health.resolve(), health.timeout()));
            Thread.ofVirtual().name("health " + stack).start(probing);
            try {
                held = watcher.steady(stack, left, updated);
                if (!(held instanceof ConvergeWatcher.Result.Converged)) {
                    probing.cancel(true);
                } else {
                    checked = probing.get();
                }
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException("the health gate failed", e.getCause());
            } catch (java.util.concurrent.CancellationException e) {
                throw new InterruptedException("the health gate was cancelled");
            } finally {
                probing.cancel(true);
            }
        }
        switch (held) {
            case ConvergeWatcher.Result.Converged c -> services = c.services();
            case ConvergeWatcher.Result.Failed f -> {
                return failed(release, update, started, created, f);
            }
            case ConvergeWatcher.Result.TimedOut t -> {
                return timedOut(release, update, started, created, t.services());
            }
            case ConvergeWatcher.Result.Interrupted i -> {
                return interrupted(release, update, started, created, i.services());
            }
        }
        if (checked == null) {
            Record r = new Record(release.label(), update, created, services, null, null, started, lastRunning, converged, null, null);
            return new StageActions.Step(true, (update ? "updated " : "deployed ") + what + ": " + summary(services), r);
        }
        events.progress(checked.describe());
        Instant healthy = checked.healthy() ? time.now() : null; // the verdict: running through the window, and healthy
        Record r = new Record(release.label(), update, created, services, null, checked, started, lastRunning, converged, null, healthy);
        return checked.healthy()
                ? new StageActions.Step(true, (update ? "updated " : "deployed ") + what + ": " + summary(services) + "; healthy", r)
                : new StageActions.Step(false, what + " converged but is " + checked.describe(), r);
    }

    private StageActions.Step failed(ReleasePlan release, boolean update, Instant started, List<String> created, ConvergeWatcher.Result.Failed f) {
        f.failure().logs().forEach(l -> events.progress("  | " + l));
        Record r = new Record(release.label(), update, created, f.services(), f.failure(), null, started, null, null, time.now(), null);
        return new StageActions.Step(false, "deploy of " + release.describe() + " failed: " + f.failure().describe(), r);
    }

    private StageActions.Step timedOut(ReleasePlan release, boolean update, Instant started, List<String> created, List<ServiceProgress> services) {
        Record r = new Record(release.label(), update, created, services, null, null, started, null, null, null, null);
        return new StageActions.Step(false, "deploy of " + release.describe() + " did not converge within "
                + SettingFormats.formatDuration(convergeTimeout) + ": " + summary(services), r);
    }

    private StageActions.Step interrupted(ReleasePlan release, boolean update, Instant started, List<String> created,
                                          List<ServiceProgress> services) {
        Record r = new Record(release.label(), update, created, services, null, null, started, null, null, null, null);
        return new StageActions.Step(false, "deploy of " + release.describe() + " was interrupted before it converged", r);
    }

    private static Duration positive(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }

    static String summary(List<ServiceProgress> services) {
        return services.isEmpty() ? "no service" : String.join(", ", services.stream().map(ServiceProgress::toString).toList());
    }
}
