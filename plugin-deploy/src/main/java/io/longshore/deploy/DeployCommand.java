package io.longshore.deploy;

import io.longshore.deploy.health.ResolveEntry;
import io.longshore.deploy.health.StatusRanges;
import io.longshore.deploy.plan.RecipeReleases;
import io.longshore.deploy.plan.RunPlan;
import io.longshore.deploy.plan.RunPlanner;
import io.longshore.deploy.plan.TestCommands;
import io.longshore.deploy.plan.TranslationException;
import io.longshore.deploy.recipe.RecipeException;
import io.longshore.deploy.run.RunExecutor;
import io.longshore.deploy.run.StageRunner;
import io.longshore.deploy.warm.SafetyGate;
import io.longshore.deploy.warm.WarmMode;
import io.longshore.deploy.warm.WarmSettings;
import io.longshore.kit.engine.Engine;
import io.longshore.kit.lock.LockSettings;
import io.longshore.kit.output.Events;
import io.longshore.kit.run.Job;
import io.longshore.kit.run.Launcher;
import io.longshore.kit.run.Outcome;
import io.longshore.kit.run.Plugin;
import io.longshore.kit.settings.Bounds;
import io.longshore.kit.settings.InvalidSettingException;
import io.longshore.kit.settings.ReportSetting;
import io.longshore.kit.settings.StringList;
import io.longshore.kit.settings.StringMap;
import io.longshore.kit.wait.TimeSource;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "deploy", mixinStandardHelpOptions = true,
        description = "Deploy a recipe as a Swarm stack under a unique run name, converge, health-check, test, and tear it down.")
public final class DeployCommand implements Plugin {

    public enum SecretsMode { generate, none }

    /** test: a run under a unique name, torn down; warm: keep one long-lived app on its latest safe release. */
    public enum Mode { test, warm }

    @Option(names = "--mode", defaultValue = "test",
            description = "test: deploy a run, test it and tear it down; warm: keep the app named by stack on its latest safe release")
    Mode mode;

    @Option(names = "--hold-markers", description = "warm: release-notes phrases that hold an upgrade for a human (case-insensitive); "
            + "default manual migration, manual action, manual step, action required, by hand, manually, breaking change")
    StringList holdMarkers;

    @Option(names = "--snapshot", defaultValue = "auto",
            description = "warm: snapshot the app's volumes before an upgrade: auto (when it has named volumes), always or never")
    WarmSettings.SnapshotPolicy snapshot;

    @Option(names = "--alert-dir", defaultValue = ".longshore/alerts",
            description = "warm: directory (relative to the workspace) that each hold, rollback and failure writes a JSON alert into")
    Path alertDir;

    @Option(names = "--data-root", defaultValue = "/var/lib/docker",
            description = "warm: the engine's data root mounted read-only into the step, to check there is room for a snapshot")
    Path dataRoot;

    @Option(names = "--recipe", description = "The recipe directory (compose files and env file); default the workspace")
    Path recipe;

    @Option(names = "--env-file", defaultValue = ".env.sample", description = "The recipe's env file, relative to the recipe")
    String envFile;

    @Option(names = "--env", description = "Env overrides; they win over the env file and abra.sh")
    StringMap env;

    @Option(names = "--compose-files", description = "Compose files to merge in order; default COMPOSE_FILE from the env (colon-separated), else compose.yml")
    StringList composeFiles;

    @Option(names = "--stack", description = "The run name (default a unique <first 4 of recipe name>-<6 hex>); warm: the app's stack, required")
    String stack;

    @Option(names = "--domain", description = "Exported as DOMAIN for interpolation; default <stack>.localhost")
    String domain;

    @Option(names = "--secrets", defaultValue = "generate", description = "generate: create each SECRET_<NAME>_VERSION secret from random bytes")
    SecretsMode secrets;

    @Option(names = "--timeout", description = "Deadline for the stack to converge; default the recipe's own (its coop-cloud.<stack>.timeout label, else TIMEOUT in its env), else 5m")
    @Bounds(min = "0s", aboveMin = true)
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
    @Bounds(min = "0s", aboveMin = true)
    Duration healthTimeout;

    @Option(names = "--teardown", defaultValue = "always", description = "When to tear the run down: always, on-success or never")
    DeploySettings.Teardown teardown;

    @Option(names = "--protect", description = "Stack name globs the run-start janitor never touches")
    StringList protect;

    @Option(names = "--stages", defaultValue = "install", description = "Stages to run in order: install, upgrade, backup, custom")
    StringList stages;

    @Option(names = "--upgrade-from", defaultValue = "previous", description = "upgrade: the git tag to upgrade from, or previous")
    String upgradeFrom;

    @Option(names = "--tests", description = "Test commands: {name, service, command, timeout, image} maps or service: command strings")
    StringList tests;

    @Option(names = "--seed", description = "upgrade, backup: commands that write marker data before the upgrade or the backup")
    StringList seed;

    @Option(names = "--verify", description = "upgrade, backup: commands that must find the marker after the upgrade or the restore")
    StringList verify;

    @Option(names = "--backup-dir", defaultValue = ".longshore/backups/<stack>",
            description = "backup: directory (relative to the workspace) the backup stage writes its archives and manifest.json into; <stack> is the run's name")
    Path backupDir;

    @Option(names = "--junit-report", description = "Write JUnit XML results (one testsuite per stage) to this file")
    Path junitReport;

    @Option(names = "--dry-run", arity = "0..1", fallbackValue = "true", defaultValue = "false",
            description = "Print the full plan (every object with its spec) and create nothing")
    boolean dryRun;

    @Mixin
    LockSettings lock;

    @Mixin
    ReportSetting report;

    /** The settings as validate() read them: what the planner and the executor get. */
    private DeploySettings settings;

    /** How deploy reaches the kit's teardown, janitor and lock; tests may replace it. */
    java.util.function.BiFunction<Job, Engine, RunHousekeeping> housekeeping =
            (job, engine) -> new KitHousekeeping(job, engine, lock, TEARDOWN_TIMEOUT);

    /** How long one run's teardown (ours, or an expired one the janitor reaps) may take. */
    static final Duration TEARDOWN_TIMEOUT = Duration.ofMinutes(2);

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals(io.longshore.deploy.warm.VolumeTree.COMMAND)) {
            // warm mode's helper container: copies or digests a volume's tree where the volumes are
            System.exit(io.longshore.deploy.warm.VolumeTree.main(args, System.out, System.err));
        }
        Launcher.main(new DeployCommand(), args);
    }

    @Override
    public void validate(Job job) throws InvalidSettingException {
        if (stack != null && !stack.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}")) {
            throw InvalidSettingException.of("--stack", "'" + stack + "' is not a valid stack name; use letters, digits, '-', '_' or '.', at most 63");
        }
        StatusRanges status;
        try {
            status = StatusRanges.parse(healthStatus);
        } catch (IllegalArgumentException e) {
            throw InvalidSettingException.of("--health-status", e.getMessage() + "; use codes and ranges like 200-399,401");
        }
        List<ResolveEntry> entries = new ArrayList<>();
        for (String r : values(resolve)) {
            try {
                entries.add(ResolveEntry.parse(r));
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
        if (mode == Mode.warm && (stack == null || stack.isBlank())) {
            throw InvalidSettingException.of("--stack", "is required in warm mode: the fixed name the app keeps across reconciles");
        }
        settings = new DeploySettings(recipe, envFile, env == null ? Map.of() : env.values(),
                composeFiles == null || composeFiles.values().isEmpty() ? null : composeFiles.values(), stack, domain,
                secrets == SecretsMode.generate, timeout,
                new DeploySettings.Health(healthUrl, status, entries, healthTimeout, insecure), teardown, values(protect),
                values(stages), upgradeFrom, TestCommands.parse(tests, "--tests"), TestCommands.parse(seed, "--seed"),
                TestCommands.parse(verify, "--verify"), junitReport,
                backupDir.isAbsolute() ? backupDir : workspace(job).resolve(backupDir), dryRun);
    }

    @Override
    public Outcome run(Job job) throws Exception {
        Events events = job.events();
        events.step("recipe");
        Path dir = settings.recipe() != null ? settings.recipe() : workspace(job);
        if (mode == Mode.warm) {
            WarmSettings warm = new WarmSettings(stack, holdMarkers == null || holdMarkers.values().isEmpty() ? SafetyGate.DEFAULT_MARKERS
                    : holdMarkers.values(), snapshot, workspace(job).resolve(alertDir), dataRoot);
            return new WarmMode(job, settings, warm, dir, housekeeping, lock.lock).run();
        }
        // the engine is reached while the recipe is planned (a dry run never reaches it)
        Connecting connecting = settings.dryRun() ? null : Connecting.start(job);
        try (RecipeReleases releases = new RecipeReleases(dir, settings.envFile(), settings.env(), settings.composeFiles())) {
            RunPlan plan;
            try {
                plan = new RunPlanner(settings, releases, Instant.now(), job.ci().owner()).plan();
            } catch (RecipeException e) {
                Connecting.abandon(connecting);
                return e.invalid();
            } catch (TranslationException e) {
                Connecting.abandon(connecting);
                return new Outcome.Failed(e.getMessage(), null);
            } catch (RuntimeException | Error e) {
                Connecting.abandon(connecting);
                throw e;
            }
            plan.warnings().forEach(events::warn);
            events.progress(RunPlan.summary(plan.workspace().deploy()).replaceFirst("^", "run " + plan.stack() + " (domain " + plan.domain() + "): ")
                    + (plan.workspace().recipe().fromAbraSh().isEmpty() ? "" : "; " + plan.workspace().recipe().fromAbraSh().size() + " value(s) from abra.sh"));
            if (settings.dryRun()) {
                return DryRun.print(plan, events, settings.envFile());
            }
            try (Engine engine = connecting.engine()) {
                String lockName = lock.lock != null && !lock.lock.isBlank() ? lock.lock.trim() : null;
                return new RunExecutor(job, engine, housekeeping.apply(job, engine), settings, lockName, TimeSource.SYSTEM).execute(plan);
            }
        }
    }

    /** {@code Engine.connect(job).ping()} on a virtual thread, so that it overlaps the planning. */
    private record Connecting(java.util.concurrent.CompletableFuture<Engine> future) {
        static Connecting start(Job job) {
            return new Connecting(java.util.concurrent.CompletableFuture.supplyAsync(() -> Engine.connect(job).ping(),
                    runnable -> Thread.ofVirtual().name("engine connect").start(runnable)));
        }

        /** The connected engine, or what connecting threw (an unreachable engine: exit 3). */
        Engine engine() {
            try {
                return future.join();
            } catch (java.util.concurrent.CompletionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                if (e.getCause() instanceof Error err) {
                    throw err;
                }
                throw e;
            }
        }

        /** The run ends before it needs the engine: close the connection once it is made. */
        static void abandon(Connecting c) {
            if (c != null) {
                c.future.thenAccept(Engine::close);
            }
        }
    }

    private static Path workspace(Job job) {
        String ws = job.ci().workspace();
        return Path.of(ws == null || ws.isBlank() ? "." : ws);
    }

    private static List<String> values(StringList list) {
        return list == null ? List.of() : list.values();
    }
}
