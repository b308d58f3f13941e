package io.longshore.deploy.warm;

import io.longshore.deploy.DeploySettings;
import io.longshore.deploy.RunHousekeeping;
import io.longshore.deploy.plan.RecipeReleases;
import io.longshore.deploy.recipe.RecipeRepository;
import io.longshore.deploy.recipe.RecipeVersion;
import io.longshore.deploy.recipe.UpgradeSourceException;
import io.longshore.deploy.run.Rollout;
import io.longshore.kit.engine.Engine;
import io.longshore.kit.lock.LockTimeoutException;
import io.longshore.kit.run.Job;
import io.longshore.kit.run.Outcome;
import io.longshore.kit.wait.TimeSource;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiFunction;

/**
 * {@code mode: warm}: reads the recipe's releases, takes the host lock, and runs one {@link WarmReconciler};
 * with {@code dry_run}, prints what the reconcile would do and changes nothing.
 */
public final class WarmMode {
    private final Job job;
    private final DeploySettings settings;
    private final WarmSettings warm;
    private final Path dir;
    private final BiFunction<Job, Engine, RunHousekeeping> housekeeping;
    private final String lockName;

    public WarmMode(Job job, DeploySettings settings, WarmSettings warm, Path dir, BiFunction<Job, Engine, RunHousekeeping> housekeeping,
                    String lockName) {
        this.job = job;
        this.settings = settings;
        this.warm = warm;
        this.dir = dir;
        this.housekeeping = housekeeping;
        this.lockName = lockName == null || lockName.isBlank() ? null : lockName.trim();
    }

    public Outcome run() throws Exception {
        List<RecipeVersion> versions;
        try (RecipeRepository repo = RecipeRepository.open(dir)) {
            versions = repo.versions();
        } catch (UpgradeSourceException e) {
            return new Outcome.Invalid("PLUGIN_RECIPE", "warm mode needs the recipe's git repository with its release tags: " + e.getMessage());
        }
        if (versions.isEmpty()) {
            return new Outcome.Invalid("PLUGIN_RECIPE", "the recipe's repository at " + dir.toAbsolutePath().normalize()
                    + " has no release tags (<semver>+<app-version>, semver or v<semver>); fetch them (git fetch --tags)");
        }
        try (Engine engine = Engine.connect(job).ping(); RecipeReleases releases = new RecipeReleases(dir, settings.envFile(),
                settings.env(), settings.composeFiles())) {
            if (settings.dryRun()) {
                // reads only: no janitor, no lock, nothing created
                Rollout none = null;
                return new WarmReconciler(job, engine, settings, warm, releases, versions, none, TimeSource.SYSTEM).preview().outcome();
            }
            RunHousekeeping kit = housekeeping.apply(job, engine);
            if (lockName != null) {
                job.events().step("lock " + lockName);
            }
            try (AutoCloseable held = kit.lock()) {
                Rollout rollout = new Rollout(engine, job.events(), job.masker(), job.hooks(), warm.stack(), settings.timeoutOrDefault(), settings.health(),
                        Rollout.healthClient(job, settings.health().insecure()), TimeSource.SYSTEM);
                WarmResult r = new WarmReconciler(job, engine, settings, warm, releases, versions, rollout, TimeSource.SYSTEM).reconcile();
                return r.outcome();
            } catch (LockTimeoutException e) {
                return e.outcome();
            }
        }
    }
}
