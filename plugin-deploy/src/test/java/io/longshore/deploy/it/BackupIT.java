package io.longshore.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.longshore.testenv.TestEnv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backup stage on the private engine, with a recipe of an {@code app} and a {@code db}
 * service each keeping state in a volume: db's backup pre-hook dumps its live data into the
 * volume, only the dump is archived, and its restore post-hook loads the dump back.
 */
class BackupIT extends EngineStacksTest {
    private static final String DUMP = "mkdir -p /var/lib/db/dumps && cat /var/lib/db/live/table > /var/lib/db/dumps/dump.sql";
    private static final String LOAD = "mkdir -p /var/lib/db/live && cp /var/lib/db/dumps/dump.sql /var/lib/db/live/table";
    private static final String RECIPE = """
            services:
              app:
                image: ${IMAGE}
                command: ["sleep", "3600"]
                init: true
                stop_grace_period: 1s
                volumes: ["app-data:/data"]
                deploy:
                  labels:
                    backupbot.backup: "true"
                    backupbot.backup.pre_hook: "true"
              db:
                image: ${IMAGE}
                command: ["sleep", "3600"]
                init: true
                stop_grace_period: 1s
                volumes: ["db-data:/var/lib/db"]
                secrets: [db_password]
                deploy:
                  labels:
                    backupbot.backup: "${DB_BACKUPS:-TRUE}"
                    backupbot.backup.pre-hook: "PRE_HOOK"
                    backupbot.backup.volumes.db-data.path: "/dumps"
                    backupbot.restore.post-hook: "LOAD"
            volumes:
              app-data: {}
              db-data: {}
            secrets:
              db_password:
                name: ${STACK_NAME}_db_password_${SECRET_DB_PASSWORD_VERSION}
                external: true
            """;

    @TempDir
    Path dir;

    private Path write(String compose) throws Exception {
        Path recipe = Files.createDirectories(dir.resolve("recipe"));
        Files.writeString(recipe.resolve("compose.yml"), compose);
        Files.writeString(recipe.resolve(".env.sample"), "SECRET_DB_PASSWORD_VERSION=v1\n");
        return recipe;
    }

    private static String recipe(String preHook) {
        return RECIPE.replace("PRE_HOOK", preHook).replace("LOAD", LOAD);
    }

    private Map<String, String> settings(Path recipe, String stack) {
        Map<String, String> m = new HashMap<>();
        m.put("PLUGIN_RECIPE", recipe.toString());
        m.put("PLUGIN_STACK", stack);
        m.put("PLUGIN_ENV", "IMAGE=" + TestEnv.testImage());
        m.put("PLUGIN_TIMEOUT", "60s");
        m.put("PLUGIN_STAGES", "backup");
        m.put("PLUGIN_BACKUP_DIR", dir.resolve("backups/<stack>").toString());
        m.put("PLUGIN_SEED", "[\"app: echo app-${STACK_NAME} > /data/marker\", "
                + "\"db: mkdir -p /var/lib/db/live && echo row-${STACK_NAME} > /var/lib/db/live/table\"]");
        m.put("PLUGIN_VERIFY", "[\"app: grep -q app-${STACK_NAME} /data/marker\", \"db: grep -q row-${STACK_NAME} /var/lib/db/live/table\"]");
        return m;
    }

    private static JsonNode stage(DeployRun run) {
        return run.details().path("stages").path(0);
    }

    @Test
    void theMarkerSurvivesTheRoundTripAndTheManifestMatchesTheArchives() throws Exception {
        String stack = newStack();
        Path junit = dir.resolve("junit.xml");
        Map<String, String> s = settings(write(recipe(DUMP)), stack);
        s.put("PLUGIN_JUNIT_REPORT", junit.toString());
        DeployRun run = DeployRun.of(s, dir);
        assertEquals(0, run.exitCode(), run.output());
        assertEquals("PASS", stage(run).path("status").asText(), stage(run).toPrettyString());
        // the unknown key on app is a warning naming the real one
        assertTrue(run.output().contains("the label backupbot.backup.pre_hook is not a backupbot key; did you mean backupbot.backup.pre-hook?"),
                run.output());

        Path backups = dir.resolve("backups").resolve(stack);
        JsonNode manifest = new ObjectMapper().readTree(backups.resolve("manifest.json").toFile());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(backups.resolve("manifest.json"))));
        JsonNode archives = manifest.path("archives");
        assertEquals(2, archives.size(), manifest.toPrettyString());
        assertEquals("app", archives.path(0).path("service").asText());
        assertEquals("app-data", archives.path(0).path("volume").asText());
        assertEquals("db", archives.path(1).path("service").asText());
        assertEquals("db-data", archives.path(1).path("volume").asText());
        assertEquals("dumps", archives.path(1).path("paths").path(0).asText(), "db's backup is limited to the dump");
        for (JsonNode a : archives) {
            Path file = backups.resolve(a.path("file").asText());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            assertEquals(a.path("sha256").asText(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))));
            assertEquals(1, a.path("files").asInt(), a.toPrettyString());
            assertTrue(a.path("bytes").asLong() > 0, a.toPrettyString());
        }
        String cases = Files.readString(junit);
        assertTrue(cases.contains("archive db") && cases.contains("destroy the data") && cases.contains("restore db"), cases);
        assertFalse(cases.contains("<failure"), cases);
        // teardown removed everything of the run; the backups stay
        assertEquals(List.of(), TestStacks.leftovers(engine, stack), run.output());
        assertTrue(Files.exists(backups.resolve("manifest.json")));
    }

    @Test
    void aRecipeThatLabelsOnlyAppFailsAndSaysDbsVolumeWasNotArchived() throws Exception {
        String stack = newStack();
        Map<String, String> s = settings(write(recipe(DUMP)), stack);
        s.put("PLUGIN_ENV", "IMAGE=" + TestEnv.testImage() + ",DB_BACKUPS=false");
        DeployRun run = DeployRun.of(s, dir);
        assertEquals(1, run.exitCode(), run.output());
        String message = stage(run).path("message").asText();
        assertEquals("FAIL", stage(run).path("status").asText(), stage(run).toPrettyString());
        assertTrue(message.contains("archived: app: app-data"), message);
        assertTrue(message.contains("not archived: db-data of db (db has no backupbot.backup=true)"), message);
        assertEquals(List.of(), TestStacks.leftovers(engine, stack), run.output());
    }

    @Test
    void aFailingPreHookFailsTheStageNamingServiceHookAndExitCode() throws Exception {
        String stack = newStack();
        DeployRun run = DeployRun.of(settings(write(recipe("echo the dump failed >&2; exit 4")), stack), dir);
        assertEquals(1, run.exitCode(), run.output());
        String message = stage(run).path("message").asText();
        assertTrue(message.startsWith("the backup pre-hook of db exited with code 4; its output ends: the dump failed"), message);
        assertEquals(List.of(), TestStacks.leftovers(engine, stack), run.output());
    }

    @Test
    void aRecipeWithoutBackupLabelsIsSkipped() throws Exception {
        String stack = newStack();
        String none = RECIPE.lines().filter(l -> !l.contains("backupbot") && !l.contains("labels:") && !l.trim().equals("deploy:"))
                .reduce("", (a, b) -> a + b + "\n");
        DeployRun run = DeployRun.of(settings(write(none), stack), dir);
        assertEquals(0, run.exitCode(), run.output());
        assertEquals("SKIPPED", stage(run).path("status").asText(), stage(run).toPrettyString());
        assertTrue(stage(run).path("message").asText().contains("no service of the recipe takes part in backups"), stage(run).toPrettyString());
        assertEquals(List.of(), TestStacks.leftovers(engine, stack), run.output());
    }
}
