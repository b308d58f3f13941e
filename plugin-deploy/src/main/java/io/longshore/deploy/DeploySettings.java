package io.longshore.deploy;

import io.longshore.deploy.health.ResolveEntry;
import io.longshore.deploy.health.StatusRanges;
import io.longshore.deploy.plan.TestCommand;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * deploy's settings as one immutable value, after validation: what {@link DeployCommand} declares
 * hands the planner and the executor this, and nothing reads the command's fields after it.
 * {@code stack}, {@code domain} and {@code composeFiles} are null when unset (the recipe decides).
 */
/* timeout: null means the recipe's own, else DEFAULT_TIMEOUT (see RunPlanner). */
public record DeploySettings(Path recipe, String envFile, Map<String, String> env, List<String> composeFiles,
                             String stack, String domain, boolean generateSecrets, Duration timeout,
                             Health health, Teardown teardown, List<String> protect, List<String> stages,
                             String upgradeFrom, List<TestCommand> tests, List<TestCommand> seed, List<TestCommand> verify,
                             Path junitReport, Path backupDir, boolean dryRun) {
    /** The converge deadline when neither the setting nor the recipe gives one. */
    public static final java.time.Duration DEFAULT_TIMEOUT = java.time.Duration.ofMinutes(5);

    /** The timeout setting, or the default where a recipe's own timeout is not read (warm mode). */
    public java.time.Duration timeoutOrDefault() {
        return timeout != null ? timeout : DEFAULT_TIMEOUT;
    }


    public DeploySettings {
        env = Map.copyOf(env);
        composeFiles = composeFiles == null ? null : List.copyOf(composeFiles);
        protect = List.copyOf(protect);
        stages = stages.isEmpty() ? List.of("install") : List.copyOf(stages);
        tests = List.copyOf(tests);
        seed = List.copyOf(seed);
        verify = List.copyOf(verify);
    }

    /** The health gate's settings; {@code url} is null when there is no gate (it is interpolated per release). */
    public record Health(String url, StatusRanges status, List<ResolveEntry> resolve, Duration timeout, boolean insecure) {
        public Health {
            resolve = List.copyOf(resolve);
        }

        public boolean enabled() {
            return url != null && !url.isBlank();
        }
    }

    /** When the run is torn down. */
    public enum Teardown {
        always, on_success, never;

        @Override
        public String toString() {
            return name().replace('_', '-');
        }
    }
}
