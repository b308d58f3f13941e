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
import io.longshore.kit.settings.SettingFormats;
import io.longshore.kit.wait.TimeSource;
import java.time.Instant;
import java.util.List;
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
    private final RunPlan plan;
    private final OkHttpClient http;
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

    public Rollout(Engine engine, Events events, Masker masker, ShutdownHooks hooks, RunPlan plan, OkHttpClient http, TimeSource time) {
        this.engine = engine;
        this.events = events;
        this.masker = masker;
        this.hooks = hooks;
        this.plan = plan;
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
        }
        return converge(release, false, started, created);
    }

    /**
     * Updates the running stack to {@code target}: the update is planned from what runs now, with
     * the same rules as the run plan's projection, printed, then carried out.
     */
    public StageActions.Step update(ReleasePlan target) throws InterruptedException {
        events.step("update " + target.describe());
        Instant started = time.now();
        UpdatePlan update;
        try {
            update = UpdatePlanner.plan(LiveStack.read(engine.read(), target.deploy()), target.deploy(), target.recipe().env());
            update.lines().stream().filter(l -> !l.startsWith("keep")).forEach(l -> events.progress("plan: " + l));
            new StackApplier(engine, events, masker, target.recipe().env()).update(update, target.deploy());
        } catch (ApplyException e) {
            return failedToApply(target, true, started, e.getMessage());
        } catch (EngineApiException e) {
            return failedToApply(target, true, started, "the engine refused " + e.getMessage());
        }
        return converge(target, true, started, update.created());
    }

    private StageActions.Step failedToApply(ReleasePlan release, boolean update, Instant started, String why) {
        Record r = new Record(release.label(), update, List.of(), List.of(), null, null, started, null, null, time.now(), null);
        return new StageActions.Step(false, "deploy of " + release.describe() + " failed: " + why, r);
    }

    private StageActions.Step converge(ReleasePlan release, boolean update, Instant started, List<String> created)
            throws InterruptedException {
        String what = release.describe();
        events.step("converge");
        ConvergeWatcher.Result result = new ConvergeWatcher(engine, events, hooks, time.clock()).watch(plan.stack(), plan.converge().timeout());
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
                f.failure().logs().forEach(l -> events.progress("  | " + l));
                Record r = new Record(release.label(), update, created, services, f.failure(), null, started, null, null, time.now(), null);
                return new StageActions.Step(false, "deploy of " + what + " failed: " + f.failure().describe(), r);
            }
            case ConvergeWatcher.Result.TimedOut t -> {
                Record r = new Record(release.label(), update, created, services, null, null, started, null, null, null, null);
                return new StageActions.Step(false, "deploy of " + what + " did not converge within "
                        + SettingFormats.formatDuration(plan.converge().timeout()) + ": " + summary(services), r);
            }
            case ConvergeWatcher.Result.Interrupted i -> {
                Record r = new Record(release.label(), update, created, services, null, null, started, null, null, null, null);
                return new StageActions.Step(false, "deploy of " + what + " was interrupted before it converged", r);
            }
        }
        DeploySettings.Health health = plan.health();
        if (release.healthUrl() == null) {
            Record r = new Record(release.label(), update, created, services, null, null, started, lastRunning, converged, null, null);
            return new StageActions.Step(true, (update ? "updated " : "deployed ") + what + ": " + summary(services), r);
        }
        events.step("health");
        HealthGate.Result checked = new HealthGate(http, events, hooks, time)
                .check(release.healthUrl(), health.status(), health.resolve(), health.timeout());
        events.progress(checked.describe());
        Instant healthy = checked.healthy() ? time.now() : null;
        Record r = new Record(release.label(), update, created, services, null, checked, started, lastRunning, converged, null, healthy);
        return checked.healthy()
                ? new StageActions.Step(true, (update ? "updated " : "deployed ") + what + ": " + summary(services) + "; healthy", r)
                : new StageActions.Step(false, what + " converged but is " + checked.describe(), r);
    }

    static String summary(List<ServiceProgress> services) {
        return services.isEmpty() ? "no service" : String.join(", ", services.stream().map(ServiceProgress::toString).toList());
    }
}
