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
import io.longshore.deploy.stage.CommandResult;
import io.longshore.deploy.stage.EngineCommandRunner;
import io.longshore.deploy.stage.JunitXml;
import io.longshore.deploy.stage.RecipeRepository;
import io.longshore.deploy.stage.RecipeVersion;
import io.longshore.deploy.stage.StageActions;
import io.longshore.deploy.stage.StageLog;
import io.longshore.deploy.stage.StageResult;
import io.longshore.deploy.stage.StageRunner;
import io.longshore.deploy.stage.Status;
import io.longshore.deploy.stage.TestCommand;
import io.longshore.deploy.stage.TestCommands;
import io.longshore.deploy.stage.UpgradeSourceException;
import java.nio.file.Files;
import java.util.Optional;
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
import io.longshore.kit.settings.SettingFormats;
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

    @Option(names = "--tests", description = "Test commands: {name, service, command, timeout, image} maps or service: command strings")
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

    /** tests, seed and verify as validate() read them. */
    private List<TestCommand> testList = List.of();
    private List<TestCommand> seedList = List.of();
    private List<TestCommand> verifyList = List.of();

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
        for (String s : values(stages)) {
            if (!StageRunner.STAGES.contains(s)) {
                throw InvalidSettingException.of("--stages", "unknown stage '" + s + "'; use " + String.join(", ", StageRunner.STAGES));
            }
        }
        testList = TestCommands.parse(tests, "--tests");
        seedList = TestCommands.parse(seed, "--seed");
        verifyList = TestCommands.parse(verify, "--verify");
        if (timeout.isNegative() || timeout.isZero()) {
            throw InvalidSettingException.of("--timeout", "must be positive; use e.g. 5m");
        }
    }

    @Override
    public Outcome run(Job job) throws Exception {
        Events events = job.events();
        events.step("recipe");
        Instant created = Instant.now();
        Path dir = recipe != null ? recipe : workspace(job);
        Recipe loaded;
        DeployPlan plan;
        Map<String, String> labels;
        try {
            Recipe r = Recipe.load(dir, envFile, env == null ? Map.of() : env.values(), values(composeFiles), stack, domain, new SecureRandom());
            r.warnings().forEach(events::warn);
            labels = RunLabels.of(r.stack(), created, created.plus(expiry()), job.ci().owner());
            plan = plan(events, r, labels);
            loaded = r;
        } catch (RecipeException e) {
            return e.invalid();
        } catch (IllegalArgumentException e) {
            // a value compose would reject too: a size, a CPU count, a port, an unclosed quote
            return Outcome.invalid("--recipe", "the recipe cannot be read: " + e.getMessage());
        }
        events.progress("run " + loaded.stack() + " (domain " + loaded.domain() + "): " + plan.services().size() + " service(s), "
                + plan.networks().size() + " network(s), " + plan.secrets().size() + " secret(s), " + plan.configs().size() + " config(s)");
        if (dryRun) {
            events.step("plan");
            events.progress(plan.render());
            if (!stageList().equals(List.of("install")) || !testList.isEmpty()) {
                events.step("stages");
                stagePlan(dir).forEach(events::progress);
            }
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
                return deploy(job, engine, kit, dir, loaded, plan, labels);
            } catch (LockTimeoutException e) {
                return e.outcome();
            }
        }
    }

    /** The run's lifetime for the janitor: every deploy a stage makes may take timeout and health_timeout. */
    private Duration expiry() {
        long deploys = Math.max(1, stageList().stream().mapToLong(s -> s.equals("upgrade") ? 2 : s.equals("install") ? 1 : 0).sum());
        return timeout.plus(healthTimeout).multipliedBy(deploys).plus(EXPIRY_MARGIN);
    }

    private DeployPlan plan(Events events, Recipe r, Map<String, String> labels) {
        ComposeProject project = ComposeProject.load(r.composeFiles(), r.env());
        project.warnings().forEach(events::warn);
        DeployPlan p = StackConverter.convert(project.model(), r.stack(), labels, r.env(),
                secrets == SecretsMode.generate ? r.generatedSecrets() : List.of());
        p.warnings().forEach(events::warn);
        return p;
    }

    /** What the stages would do, for dry_run: which releases they deploy and which commands they run. */
    private List<String> stagePlan(Path dir) {
        List<String> out = new ArrayList<>();
        for (String s : stageList()) {
            switch (s) {
                case "install" -> out.add("install: deploy the workspace's recipe, converge, health check, then tests");
                case "upgrade" -> {
                    String from;
                    try (RecipeRepository repo = RecipeRepository.open(dir)) {
                        from = repo.upgradeSource(upgradeFrom).map(v -> "from " + v.tag())
                                .orElse("SKIPPED: no earlier release is tagged");
                    } catch (UpgradeSourceException e) {
                        from = (e.failsStage() ? "FAILS: " : "SKIPPED: ") + e.getMessage();
                    } catch (java.io.IOException e) {
                        from = "FAILS: cannot read the tags: " + e.getMessage();
                    }
                    out.add("upgrade (" + upgradeFrom + "): " + from + "; deploy it, seed, update to the workspace, verify, then tests");
                    seedList.forEach(c -> out.add("  seed   " + describe(c)));
                    verifyList.forEach(c -> out.add("  verify " + describe(c)));
                }
                default -> out.add(s + ": tests only, on what runs");
            }
            testList.forEach(c -> out.add("  tests  " + describe(c)));
        }
        return out;
    }

    private static String describe(TestCommand c) {
        return "'" + c.name() + "': " + (c.image() != null ? "job " + c.image() : "exec in " + c.service()) + ": " + c.display()
                + " (timeout " + SettingFormats.formatDuration(c.timeout()) + ")";
    }

    private List<String> stageList() {
        List<String> list = values(stages);
        return list.isEmpty() ? List.of("install") : list;
    }

    private Outcome deploy(Job job, Engine engine, RunHousekeeping kit, Path dir, Recipe recipe, DeployPlan plan,
                           Map<String, String> labels) throws InterruptedException {
        String run = recipe.stack();
        StageLog log = new StageLog();
        Events events = Events.fanOut(job.events(), log);
        Rollouts rollouts = new Rollouts(job, engine, events, kit, dir, recipe, plan, labels);
        Instant started = Instant.now();
        List<StageResult> results = List.of();
        Object teardownDetails = null;
        Instant tornDown = null;
        Outcome outcome = null;
        RunHousekeeping.Guard guard = kit.guard(run, teardown == TeardownPolicy.always);
        try {
            results = new StageRunner(rollouts, events, log, job.masker()::mask, Clock.systemUTC(), testList, seedList, verifyList)
                    .run(stageList());
            boolean failed = results.stream().anyMatch(r -> r.status() == Status.FAIL);
            boolean single = results.size() == 1 && results.getFirst().name().equals("install") && results.getFirst().commands().isEmpty();
            String summary = single && rollouts.lastMessage != null ? rollouts.lastMessage : StageRunner.summary(run, results);
            outcome = failed ? new Outcome.Failed(summary, null) : new Outcome.Ok(summary, null);
        } finally {
            boolean tear = teardown == TeardownPolicy.always || (teardown == TeardownPolicy.on_success && outcome instanceof Outcome.Ok);
            try {
                if (tear) {
                    job.events().step("teardown " + run);
                    RunHousekeeping.Cleanup cleanup = guard.tearDown();
                    teardownDetails = cleanup.details();
                    tornDown = Instant.now();
                    job.events().progress(cleanup.summary());
                    if (!cleanup.clean() && outcome != null) {
                        outcome = new Outcome.Failed(outcome.summary() + "; teardown left residue: " + cleanup.summary(), null);
                    }
                } else {
                    job.events().progress("teardown: " + teardown + ", so " + run + " is left running (the janitor reaps it after it expires)");
                }
            } finally {
                guard.close();
                rollouts.close();
            }
        }
        if (results.size() > 1 || results.stream().anyMatch(r -> !r.commands().isEmpty())) {
            job.events().step("results");
            for (StageResult r : results) {
                job.events().progress(StageRunner.line(r));
                r.commands().forEach(c -> job.events().progress("  " + StageRunner.line(c)));
            }
        }
        if (junitReport != null) {
            try {
                String prefix = "deploy." + dir.toAbsolutePath().normalize().getFileName();
                JunitXml.write(junitReport, prefix, results, started);
                job.events().progress("wrote JUnit XML to " + junitReport);
            } catch (java.io.IOException e) {
                job.events().warn("cannot write the JUnit report: " + e.getMessage());
            }
        }
        Rollouts.Track t = rollouts.track;
        DeployDetails details = new DeployDetails(run, recipe.domain(), t.created, t.services, t.failure, t.health, teardownDetails,
                new DeployDetails.Timings(DeployDetails.ms(started), DeployDetails.ms(t.lastRunning), DeployDetails.ms(t.converged),
                        t.lastRunning == null || t.converged == null ? null : Duration.between(t.lastRunning, t.converged).toMillis(),
                        DeployDetails.ms(t.failedAt), DeployDetails.ms(t.healthy), DeployDetails.ms(tornDown)),
                results.stream().map(StageReport::of).toList());
        return switch (outcome) {
            case Outcome.Ok ok -> new Outcome.Ok(ok.summary(), details);
            case Outcome.Failed f -> new Outcome.Failed(f.summary(), details);
            default -> outcome;
        };
    }

    /**
     * The stages' actions on the engine: deploy a recipe (fresh or as an update), converge, health
     * check; clear the run between stages; run commands. Tracks what the last deploy reached, for the report.
     */
    private final class Rollouts implements StageActions, AutoCloseable {
        private final Job job;
        private final Engine engine;
        private final Events events;
        private final RunHousekeeping kit;
        private final Path dir;
        private final Recipe workspace;
        private final DeployPlan workspacePlan;
        private final Map<String, String> labels;
        private final List<Path> checkouts = new ArrayList<>();
        final Track track = new Track();
        /** The summary of the last deploy: the outcome's summary when install is the only stage. */
        String lastMessage;
        private Recipe current;
        private DeployPlan currentPlan;

        Rollouts(Job job, Engine engine, Events events, RunHousekeeping kit, Path dir, Recipe workspace, DeployPlan plan,
                 Map<String, String> labels) {
            this.job = job;
            this.engine = engine;
            this.events = events;
            this.kit = kit;
            this.dir = dir;
            this.workspace = workspace;
            this.workspacePlan = plan;
            this.labels = labels;
            this.current = workspace;
            this.currentPlan = plan;
        }

        static final class Track {
            final List<String> created = new ArrayList<>();
            List<ServiceProgress> services = List.of();
            TaskFailure failure;
            HealthGate.Result health;
            Instant lastRunning;
            Instant converged;
            Instant failedAt;
            Instant healthy;
        }

        @Override
        public Step deployWorkspace(boolean update) throws InterruptedException {
            return rollout(workspace, workspacePlan, update, null);
        }

        @Override
        public Optional<RecipeVersion> upgradeSource() throws UpgradeSourceException, java.io.IOException {
            try (RecipeRepository repo = RecipeRepository.open(dir)) {
                return repo.upgradeSource(upgradeFrom);
            }
        }

        @Override
        public Step deployRelease(RecipeVersion release) throws InterruptedException {
            Recipe old;
            DeployPlan oldPlan;
            try (RecipeRepository repo = RecipeRepository.open(dir)) {
                Path target = Files.createTempDirectory("longshore-recipe-");
                checkouts.add(target);
                repo.checkout(release.tag(), dir, target);
                events.progress("checked out " + release.tag() + " of the recipe");
                old = Recipe.load(target, envFile, env == null ? Map.of() : env.values(), values(composeFiles), workspace.stack(),
                        workspace.domain(), new SecureRandom());
                old.warnings().forEach(events::warn);
                oldPlan = plan(events, old, labels);
            } catch (UpgradeSourceException | java.io.IOException e) {
                return Step.failed("cannot check out " + release.tag() + ": " + e.getMessage());
            } catch (RecipeException | IllegalArgumentException e) {
                return Step.failed("the recipe at " + release.tag() + " cannot be read: " + e.getMessage());
            }
            return rollout(old, oldPlan, false, release.tag());
        }

        @Override
        public Step reset() throws InterruptedException {
            events.progress("clearing what the earlier stage left of " + workspace.stack());
            RunHousekeeping.Cleanup c = kit.clear(workspace.stack());
            events.progress(c.summary());
            return c.clean() ? Step.ok(c.summary()) : Step.failed(c.summary());
        }

        @Override
        public CommandResult run(TestCommand command, String kind) throws InterruptedException {
            Interpolator in = Interpolator.forShell(current.env()::get);
            TestCommand resolved = new TestCommand(command.name(), command.service(), command.argv().stream().map(in::apply).toList(),
                    command.timeout(), command.image() == null ? null : in.apply(command.image()));
            Map<String, String> names = new java.util.HashMap<>();
            currentPlan.services().forEach(s -> names.put(s.shortName(), s.name()));
            return new EngineCommandRunner(engine, job.masker(), job.hooks(), current.stack(), names,
                    currentPlan.networks().stream().map(DeployPlan.NetworkPlan::name).toList(), labels).run(resolved, kind);
        }

        private Step rollout(Recipe r, DeployPlan p, boolean update, String release) throws InterruptedException {
            String run = r.stack();
            String what = release == null ? run : run + " at " + release;
            current = r;
            currentPlan = p;
            Step step = null;
            try {
                if (update) {
                    events.step("update " + what);
                    StackApplier.Updated u = new StackApplier(engine, events, job.masker(), r.env()).update(p);
                    track.created.addAll(u.created());
                } else {
                    events.step("deploy " + what);
                    StackApplier.Created c = new StackApplier(engine, events, job.masker(), r.env()).apply(p);
                    c.networks().forEach(n -> track.created.add("network " + n));
                    c.secrets().forEach(n -> track.created.add("secret " + n));
                    c.configs().forEach(n -> track.created.add("config " + n));
                    c.services().forEach(n -> track.created.add("service " + n));
                }
                events.step("converge");
                ConvergeWatcher.Result result = new ConvergeWatcher(engine, events, job.hooks(), Clock.systemUTC()).watch(run, timeout);
                track.services = result.services();
                switch (result) {
                    case ConvergeWatcher.Result.Converged cv -> {
                        track.lastRunning = cv.lastRunning().equals(Instant.EPOCH) ? null : cv.lastRunning();
                        track.converged = cv.convergedAt();
                        events.progress("converged: " + summary(track.services));
                    }
                    case ConvergeWatcher.Result.Failed f -> {
                        track.failure = f.failure();
                        track.failedAt = Instant.now();
                        f.failure().logs().forEach(l -> events.progress("  | " + l));
                        step = Step.failed("deploy of " + what + " failed: " + f.failure().describe());
                    }
                    case ConvergeWatcher.Result.TimedOut t -> step = Step.failed("deploy of " + what + " did not converge within "
                            + SettingFormats.formatDuration(timeout) + ": " + summary(track.services));
                    case ConvergeWatcher.Result.Interrupted i -> step = Step.failed("deploy of " + what
                            + " was interrupted before it converged");
                }
                boolean checked = false;
                if (step == null && healthUrl != null && !healthUrl.isBlank()) {
                    events.step("health");
                    String url = new Interpolator(r.env()::get, v -> events.warn("health_url: the variable " + v + " is not set")).apply(healthUrl);
                    OkHttpClient client = HttpClients.create(HttpOptions.defaults(HttpClients.userAgent(job.plugin())).withTls(insecure, null));
                    track.health = new HealthGate(client, events, job.hooks(), Clock.systemUTC())
                            .check(url, StatusRanges.parse(healthStatus), values(resolve).stream().map(ResolveEntry::parse).toList(), healthTimeout);
                    events.progress(track.health.describe());
                    if (track.health.healthy()) {
                        track.healthy = Instant.now();
                        checked = true;
                    } else {
                        step = Step.failed(what + " converged but is " + track.health.describe());
                    }
                }
                if (step == null) {
                    step = Step.ok((update ? "updated " : "deployed ") + what + ": " + summary(track.services) + (checked ? "; healthy" : ""));
                }
            } catch (ApplyException e) {
                step = Step.failed("deploy of " + what + " failed: " + e.getMessage());
            } catch (EngineApiException e) {
                step = Step.failed("deploy of " + what + " failed: the engine refused " + e.getMessage());
            }
            lastMessage = step.message();
            return step;
        }

        @Override
        public void close() {
            for (Path p : checkouts) {
                try (var walk = Files.walk(p)) {
                    walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                } catch (java.io.IOException e) {
                    // a temporary directory; the OS cleans it up
                }
            }
        }
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
