package io.longshore.deploy;

import io.longshore.kit.run.Plugin;
import io.longshore.testenv.RefusalsContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

class RefusalsTest extends RefusalsContract {
    /**
     * A recipe that deploys, an env file that cannot be read as one, and recipes whose files are
     * wrong: a compose file that is not YAML, an abra.sh that would have to run, a reference to a
     * secret the recipe never declares, a port compose would refuse.
     */
    private static final Path RECIPES = recipes();

    private static Path recipes() {
        try {
            Path dir = Files.createTempDirectory("longshore-refusals-");
            dir.toFile().deleteOnExit();
            Path ok = Files.createDirectories(dir.resolve("ok"));
            Files.writeString(ok.resolve("compose.yml"), "services:\n  app:\n    image: busybox\n");
            Files.writeString(ok.resolve("broken.env"), "PASSWORD=${NOPE:?set the password}\n");
            Path broken = Files.createDirectories(dir.resolve("broken"));
            Files.writeString(broken.resolve("compose.yml"), "services: [unclosed\n");
            Path abra = Files.createDirectories(dir.resolve("abra"));
            Files.writeString(abra.resolve("compose.yml"), "services:\n  app:\n    image: busybox\n");
            Files.writeString(abra.resolve("abra.sh"), "export NGINX_VERSION=$(date +%s)\n");
            Path undeclared = Files.createDirectories(dir.resolve("undeclared"));
            Files.writeString(undeclared.resolve("compose.yml"), "services:\n  app:\n    image: busybox\n    secrets: [db_password]\n");
            Path port = Files.createDirectories(dir.resolve("port"));
            Files.writeString(port.resolve("compose.yml"), "services:\n  app:\n    image: busybox\n    ports: [\"80:80:80:80\"]\n");
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected Plugin plugin() {
        return new DeployCommand();
    }

    /** A valid recipe in dry run: a value wrongly accepted ends in exit 0 with nothing created. */
    @Override
    protected Map<String, String> baseline() {
        return Map.of("PLUGIN_RECIPE", RECIPES.resolve("ok").toString(), "PLUGIN_DRY_RUN", "true");
    }

    @Override
    protected List<Refusal> refusals() {
        return List.of(
                new Refusal("PLUGIN_RECIPE", RECIPES.resolve("missing").toString()),
                new Refusal("PLUGIN_RECIPE", RECIPES.resolve("broken").toString()),
                new Refusal("PLUGIN_RECIPE", RECIPES.resolve("abra").toString()),
                new Refusal("PLUGIN_RECIPE", RECIPES.resolve("undeclared").toString()),
                new Refusal("PLUGIN_RECIPE", RECIPES.resolve("port").toString()),
                new Refusal("PLUGIN_COMPOSE_FILES", "compose.missing.yml"),
                new Refusal("PLUGIN_ENV_FILE", "broken.env"),
                new Refusal("PLUGIN_HEALTH_STATUS", "ok"),
                new Refusal("PLUGIN_RESOLVE", "app.localhost"),
                new Refusal("PLUGIN_SEED", "a command without a service"),
                new Refusal("PLUGIN_STACK", "not a stack name"),
                new Refusal("PLUGIN_STAGES", "backup-everything"),
                new Refusal("PLUGIN_TESTS", "a command without a service"),
                new Refusal("PLUGIN_VERIFY", "[{\"name\": \"no command\", \"service\": \"app\"}]"));
    }

    /**
     * Texts the recipe interpolates or the stages look up when they run: a domain, a health URL
     * (checked by asking it), the release to upgrade from (a missing tag fails the upgrade stage),
     * and an output path.
     */
    @Override
    protected Set<String> acceptsAnyValue() {
        // warm mode: alert_dir is created when an alert is written; a data_root that is not mounted skips the free-space check with a warning;
        // backup_dir is created by the backup stage
        return Set.of("PLUGIN_DOMAIN", "PLUGIN_HEALTH_URL", "PLUGIN_UPGRADE_FROM", "PLUGIN_JUNIT_REPORT", "PLUGIN_ALERT_DIR", "PLUGIN_DATA_ROOT",
                "PLUGIN_BACKUP_DIR");
    }
}
