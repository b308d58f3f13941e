package io.longshore.deploy;

import io.longshore.deploy.apply.ApplyException;
import io.longshore.deploy.apply.StackApplier;
import io.longshore.deploy.compose.ComposeProject;
import io.longshore.deploy.converge.ConvergeWatcher;
import io.longshore.deploy.converge.ServiceProgress;
import io.longshore.deploy.converge.TaskFailure;
import io.longshore.deploy.convert.DeployPlan;
import io.longshore.deploy.convert.StackConverter;
import io.longshore.deploy.health.HealthGate;
import io.longshore.deploy.health.ResolveEntry;
import io.longshore.deploy.health.StatusRanges;
import io.longshore.deploy.recipe.Interpolator;
import io.longshore.deploy.recipe.Recipe;
import io.longshore.deploy.recipe.RecipeException;
import io.longshore.kit.engine.Engine;
import io.longshore.kit.engine.EngineApiException;
import io.longshore.kit.http.HttpClients;
import io.longshore.kit.http.HttpOptions;
import io.longshore.kit.lock.LockSettings;
import io.longshore.kit.lock.LockTimeoutException;
import io.longshore.kit.output.Events;
import io.longshore.kit.stack.RunLabels;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import io.longshore.kit.run.Job;
import io.longshore.kit.run.Launcher;
import io.longshore.kit.run.Outcome;
import io.longshore.kit.run.Plugin;
import io.longshore.kit.settings.InvalidSettingException;
import io.longshore.kit.settings.ReportSetting;
import io.longshore.kit.settings.StringList;
import io.longshore.kit.settings.StringMap;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "deploy", mixinStandardHelpOptions = true,
        description = "Deploy a recipe as a Swarm stack under a unique run name, converge, health-check, test, and tear it down.")
public final class DeployCommand implements Plugin {

    public enum SecretsMode { generate, none }

    public enum TeardownPolicy {
        always, on_success, never;

        @Override
        public String toString() {
            return name().replace('_', '-');
        }
    }

    @Option(names = "--recipe", description = "The recipe directory (compose files and env file); default the workspace")
    Path recipe;

    @Option(names = "--env-file", defaultValue = ".env.sample", description = "The recipe's env file, relative to the recipe")
    String envFile;

    @Option(names = "--env", description = "Env overrides applied after the env file")
    StringMap env;

    @Option(names = "--compose-files", description = "Compose files to merge in order; default COMPOSE_FILE from the env (colon-separated), else compose.yml")
    StringList composeFiles;

    @Option(names = "--stack", description = "The run name; default a unique <first 4 of recipe name>-<6 hex>")
    String stack;

    @Option(names = "--domain", description = "Exported as DOMAIN for interpolation; default <stack>.localhost")
    String domain;

    @Option(names = "--secrets", defaultValue = "generate", description = "generate: create each SECRET_<NAME>_VERSION secret from random bytes")
    SecretsMode secrets;

    @Option(names = "--timeout", defaultValue = "5m", description = "Deadline for the stack to converge")
    Duration timeout;

    @Option(names = "--health-url", description = "URL that must answer health_status once converged (interpolated, e.g. https://$${DOMAIN}/health)")
    String healthUrl;

    @Option(names = "--health-status", defaultValue = "200-399", description = "Accepted HTTP statuses: codes and ranges, comma-separated")
    String healthStatus;

    @Option(names = "--resolve", description = "host:port:address entries as curl's --resolve, to reach a domain without DNS")
    StringList resolve;

    @Option(names = "--insecure", arity = "0..1", fallbackValue = "true", defaultValue = "false",
            description = "Do not verify TLS certificates of the health URL")
    boolean insecure;

    @Option(names = "--health-timeout", defaultValue = "5m", description = "Deadline for the health check to pass")
    Duration healthTimeout;

    @Option(names = "--teardown", defaultValue = "always", description = "When to tear the run down: always, on-success or never")
    TeardownPolicy teardown;

    @Option(names = "--protect", description = "Stack name globs the run-start janitor never touches")
    StringList protect;

    @Option(names = "--stages", defaultValue = "install", description = "Stages to run in order: install, upgrade, custom")
    StringList stages;

    @Option(names = "--upgrade-from", defaultValue = "previous", description = "upgrade: the git tag to upgrade from, or previous")
    String upgradeFrom;

    @Option(names = "--tests", description = "Test commands ({name, service, command, timeout} or service: command)")
    StringList tests;

    @Option(names = "--seed", description = "upgrade: commands that write marker data before the upgrade")
    StringList seed;

    @Option(names = "--verify", description = "upgrade: commands that must find the marker after the upgrade")
    StringList verify;

    @Option(names = "--junit-report", description = "Write JUnit XML results (one testsuite per stage) to this file")
    Path junitReport;

    @Option(names = "--dry-run", arity = "0..1", fallbackValue = "true", defaultValue = "false",
            description = "Print the full plan (every object with its spec) and create nothing")
    boolean dryRun;

    @Mixin
    LockSettings lock;

    @Mixin
    ReportSetting report;

    /** Added to the run's expiry beyond timeout and health_timeout: time for teardown and a slow engine. */
    static final Duration EXPIRY_MARGIN = Duration.ofMinutes(10);

    /** How deploy reaches the kit's teardown, janitor and lock; tests may replace it. */
    java.util.function.BiFunction<Job, Engine, RunHousekeeping> housekeeping =
            (job, engine) -> new KitHousekeeping(job, engine, lock, TEARDOWN_TIMEOUT);

    /** How long one run's teardown (ours, or an expired one the janitor reaps) may take. */
    static final Duration TEARDOWN_TIMEOUT = Duration.ofMinutes(2);

    public static void main(String[] args) {
        Launcher.main(new DeployCommand(), args);
    }

    @Override
    public void validate(Job job) throws InvalidSettingException {
        if (stack != null && !stack.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}")) {
            throw InvalidSettingException.of("--stack", "'" + stack + "' is not a valid stack name; use letters, digits, '-', '_' or '.', at most 63");
        }
        try {
            StatusRanges.parse(healthStatus);
        } catch (IllegalArgumentException e) {
            throw InvalidSettingException.of("--health-status", e.getMessage() + "; use codes and ranges like 200-399,401");
        }
        for (String r : values(resolve)) {
            try {
                ResolveEntry.parse(r);
            } catch (IllegalArgumentException e) {
                throw InvalidSettingException.of("--resolve", e.getMessage() + "; use host:port:address");
            }
        }
        lock.validate();
        if (timeout.isNegative() || timeout.isZero()) {
            throw InvalidSettingException.of("--timeout", "must be positive; use e.g. 5m");
        }
    }

    @Override
    public Outcome run(Job job) throws Exception {
        Events events = job.events();
        events.step("recipe");
        Instant created = Instant.now();
        Recipe loaded;
        DeployPlan plan;
        try {
            Path dir = recipe != null ? recipe : workspace(job);
            Recipe r = Recipe.load(dir, envFile, env == null ? Map.of() : env.values(), values(composeFiles), stack, domain, new SecureRandom());
            r.warnings().forEach(events::warn);
            ComposeProject project = ComposeProject.load(r.composeFiles(), r.env());
            project.warnings().forEach(events::warn);
            Map<String, String> labels = RunLabels.of(r.stack(), created,
                    created.plus(timeout).plus(healthTimeout).plus(EXPIRY_MARGIN), job.ci().owner());
            plan = StackConverter.convert(project.model(), r.stack(), labels, r.env(),
                    secrets == SecretsMode.generate ? r.generatedSecrets() : List.of());
            plan.warnings().forEach(events::warn);
            loaded = r;
        } catch (RecipeException e) {
            return new Outcome.Invalid(e.getMessage());
        } catch (IllegalArgumentException e) {
            // a value compose would reject too: a size, a CPU count, a port, an unclosed quote
            return new Outcome.Invalid("the recipe cannot be read: " + e.getMessage());
        }
        events.progress("run " + loaded.stack() + " (domain " + loaded.domain() + "): " + plan.services().size() + " service(s), "
                + plan.networks().size() + " network(s), " + plan.secrets().size() + " secret(s), " + plan.configs().size() + " config(s)");
        if (dryRun) {
            events.step("plan");
            events.progress(plan.render());
            return new Outcome.Ok("dry run: would deploy " + loaded.stack() + " with " + plan.services().size()
                    + " service(s); nothing was created", plan);
        }
        try (Engine engine = Engine.connect(job.env()).ping()) {
            RunHousekeeping kit = housekeeping.apply(job, engine);
            // the lock first, so that the janitor's teardowns are serialised with other deploys too
            if (lock.lock != null && !lock.lock.isBlank()) {
                events.step("lock " + lock.lock.trim());
            }
            try (AutoCloseable held = kit.lock()) {
                events.step("janitor");
                events.progress(kit.reapExpired(values(protect)));
                return deploy(job, engine, kit, loaded, plan);
            } catch (LockTimeoutException e) {
                return e.outcome();
            }
        }
    }

    private Outcome deploy(Job job, Engine engine, RunHousekeeping kit, Recipe recipe, DeployPlan plan) throws InterruptedException {
        Events events = job.events();
        String run = recipe.stack();
        Instant started = Instant.now();
        List<String> created = new ArrayList<>();
        List<ServiceProgress> services = List.of();
        TaskFailure failure = null;
        HealthGate.Result health = null;
        Instant lastRunning = null;
        Instant converged = null;
        Instant failedAt = null;
        Instant healthy = null;
        Object teardownDetails = null;
        Instant tornDown = null;
        Outcome outcome = null;
        RunHousekeeping.Guard guard = kit.guard(run, teardown == TeardownPolicy.always);
        try {
            events.step("deploy " + run);
            StackApplier.Created c = new StackApplier(engine, events, job.masker(), recipe.env()).apply(plan);
            c.networks().forEach(n -> created.add("network " + n));
            c.secrets().forEach(n -> created.add("secret " + n));
            c.configs().forEach(n -> created.add("config " + n));
            c.services().forEach(n -> created.add("service " + n));

            events.step("converge");
            ConvergeWatcher.Result result = new ConvergeWatcher(engine, events, job.hooks(), Clock.systemUTC()).watch(run, timeout);
            services = result.services();
            switch (result) {
                case ConvergeWatcher.Result.Converged cv -> {
                    lastRunning = cv.lastRunning().equals(Instant.EPOCH) ? null : cv.lastRunning();
                    converged = cv.convergedAt();
                    events.progress("converged: " + summary(services));
                }
                case ConvergeWatcher.Result.Failed f -> {
                    failure = f.failure();
                    failedAt = Instant.now();
                    f.failure().logs().forEach(l -> events.progress("  | " + l));
                    outcome = new Outcome.Failed("deploy of " + run + " failed: " + failure.describe(), null);
                }
                case ConvergeWatcher.Result.TimedOut t -> outcome = new Outcome.Failed("deploy of " + run + " did not converge within "
                        + timeout + ": " + summary(services), null);
                case ConvergeWatcher.Result.Interrupted i -> outcome = new Outcome.Failed("deploy of " + run
                        + " was interrupted before it converged", null);
            }
            if (outcome == null && healthUrl != null && !healthUrl.isBlank()) {
                events.step("health");
                String url = new Interpolator(recipe.env()::get, v -> events.warn("health_url: the variable " + v + " is not set")).apply(healthUrl);
                OkHttpClient client = HttpClients.create(HttpOptions.defaults(HttpClients.userAgent(job.plugin())).withTls(insecure, null));
                health = new HealthGate(client, events, job.hooks(), Clock.systemUTC())
                        .check(url, StatusRanges.parse(healthStatus), values(resolve).stream().map(ResolveEntry::parse).toList(), healthTimeout);
                events.progress(health.describe());
                if (health.healthy()) {
                    healthy = Instant.now();
                } else {
                    outcome = new Outcome.Failed(run + " converged but is " + health.describe(), null);
                }
            }
            if (outcome == null) {
                outcome = new Outcome.Ok("deployed " + run + ": " + summary(services) + (health != null ? "; healthy" : ""), null);
            }
        } catch (ApplyException e) {
            outcome = new Outcome.Failed("deploy of " + run + " failed: " + e.getMessage(), null);
        } catch (EngineApiException e) {
            outcome = new Outcome.Failed("deploy of " + run + " failed: the engine refused " + e.getMessage(), null);
        } finally {
            boolean tear = teardown == TeardownPolicy.always || (teardown == TeardownPolicy.on_success && outcome instanceof Outcome.Ok);
            try {
                if (tear) {
                    events.step("teardown " + run);
                    RunHousekeeping.Cleanup cleanup = guard.tearDown();
                    teardownDetails = cleanup.details();
                    tornDown = Instant.now();
                    events.progress(cleanup.summary());
                    if (!cleanup.clean() && outcome != null) {
                        outcome = new Outcome.Failed(outcome.summary() + "; teardown left residue: " + cleanup.summary(), null);
                    }
                } else {
                    events.progress("teardown: " + teardown + ", so " + run + " is left running (the janitor reaps it after it expires)");
                }
            } finally {
                guard.close();
            }
        }
        DeployDetails details = new DeployDetails(run, recipe.domain(), created, services, failure, health, teardownDetails,
                new DeployDetails.Timings(DeployDetails.ms(started), DeployDetails.ms(lastRunning), DeployDetails.ms(converged),
                        lastRunning == null || converged == null ? null : Duration.between(lastRunning, converged).toMillis(),
                        DeployDetails.ms(failedAt), DeployDetails.ms(healthy), DeployDetails.ms(tornDown)));
        return switch (outcome) {
            case Outcome.Ok ok -> new Outcome.Ok(ok.summary(), details);
            case Outcome.Failed f -> new Outcome.Failed(f.summary(), details);
            default -> outcome;
        };
    }

    private static String summary(List<ServiceProgress> services) {
        return services.isEmpty() ? "no service" : String.join(", ", services.stream().map(ServiceProgress::toString).toList());
    }

    private static Path workspace(Job job) {
        String ws = job.ci().workspace();
        return Path.of(ws == null || ws.isBlank() ? "." : ws);
    }

    private static List<String> values(StringList list) {
        return list == null ? List.of() : list.values();
    }
}
