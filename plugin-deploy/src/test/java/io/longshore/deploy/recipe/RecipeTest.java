package io.longshore.deploy.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecipeTest {
    @TempDir
    Path tmp;

    @Test
    void defaultsStackDomainAndComposeFilesFromTheEnv() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("Nextcloud"));
        Files.writeString(dir.resolve("compose.yml"), "services: {}\n");
        Files.writeString(dir.resolve("compose.db.yml"), "services: {}\n");
        Files.writeString(dir.resolve(".env.sample"), """
                COMPOSE_FILE="compose.yml"
                COMPOSE_FILE="$COMPOSE_FILE:compose.db.yml"
                SECRET_DB_PASSWORD_VERSION=v1 # length=20
                SECRET_ADMIN_VERSION=V2
                """);
        Recipe r = Recipe.load(dir, ".env.sample", Map.of(), null, null, null, new Random(1));
        assertTrue(r.stack().matches("next-[0-9a-f]{6}"), r.stack());
        assertEquals(r.stack() + ".localhost", r.domain());
        assertEquals(r.stack(), r.env().get("STACK_NAME"));
        assertEquals(List.of(dir.resolve("compose.yml"), dir.resolve("compose.db.yml")), r.composeFiles());
        assertEquals(List.of(new Recipe.GeneratedSecret(r.stack() + "_db_password_v1", 20, "SECRET_DB_PASSWORD_VERSION"),
                new Recipe.GeneratedSecret(r.stack() + "_admin_v2", 32, "SECRET_ADMIN_VERSION")), r.generatedSecrets());
        assertEquals(List.of(), r.fromAbraSh());
    }

    @Test
    void abraShExportsJoinTheEnvOverTheEnvFileAndTheEnvSettingWinsOverBoth() throws Exception {
        Files.writeString(tmp.resolve("compose.yml"), "services: {}\n");
        Files.writeString(tmp.resolve(".env.sample"), "A=from-env-file\nB=from-env-file\nC=from-env-file\n");
        Files.writeString(tmp.resolve("abra.sh"), """
                export B=from-abra-sh
                export C=from-abra-sh
                export D="$A+$B"
                custom_command() {
                  export E=never
                }
                """);
        Recipe r = Recipe.load(tmp, ".env.sample", Map.of("C", "from-setting"), null, "st", null, new Random());
        assertEquals("from-env-file", r.env().get("A"));
        assertEquals("from-abra-sh", r.env().get("B"));
        assertEquals("from-setting", r.env().get("C"));
        assertEquals("from-env-file+from-abra-sh", r.env().get("D"));
        assertEquals(null, r.env().get("E"));
        assertEquals(List.of("B", "D"), r.fromAbraSh());
    }

    @Test
    void generatedSecretsTakeTheirLengthAndCharsetFromTheEnvFile() throws Exception {
        Files.writeString(tmp.resolve("compose.yml"), "services: {}\n");
        Files.writeString(tmp.resolve(".env.sample"), """
                SECRET_HMAC_SECRET_VERSION=v1       # length=64 charset=hex
                SECRET_MINIO_ACCESS_VERSION=v1      # length=20 charset=alnum
                SECRET_ODD_VERSION=v1               # charset=base64
                """);
        Recipe r = Recipe.load(tmp, ".env.sample", Map.of(), null, "st", null, new Random());
        assertEquals(List.of(new Recipe.GeneratedSecret("st_hmac_secret_v1", 64, "SECRET_HMAC_SECRET_VERSION", SecretCharset.HEX),
                new Recipe.GeneratedSecret("st_minio_access_v1", 20, "SECRET_MINIO_ACCESS_VERSION", SecretCharset.ALNUM),
                new Recipe.GeneratedSecret("st_odd_v1", 32, "SECRET_ODD_VERSION", SecretCharset.ALNUM)), r.generatedSecrets());
        assertEquals(List.of(".env.sample line 3: charset=base64 is not one longshore generates (alnum, hex);"
                + " SECRET_ODD_VERSION gets the default, alnum"), r.warnings());
    }

    @Test
    void listsTheOptionalOverlaysOfTheEnvFile() throws Exception {
        Files.writeString(tmp.resolve("compose.yml"), "services: {}\n");
        Files.writeString(tmp.resolve(".env.sample"), """
                COMPOSE_FILE=compose.yml
                #COMPOSE_FILE="$COMPOSE_FILE:compose.smtp.yml"
                #SMTP_ENABLED=1
                """);
        Recipe r = Recipe.load(tmp, ".env.sample", Map.of(), null, "st", null, new Random());
        assertEquals(List.of(new OptionalOverlay(2, List.of(2, 3), List.of("SMTP_ENABLED"), List.of("compose.yml", "compose.smtp.yml"))),
                r.overlays());
        assertEquals(List.of(tmp.resolve("compose.yml")), r.composeFiles());
    }

    @Test
    void settingsWinOverTheEnvFile() throws Exception {
        Files.writeString(tmp.resolve("compose.yml"), "services: {}\n");
        Files.writeString(tmp.resolve("other.yml"), "services: {}\n");
        Files.writeString(tmp.resolve(".env.sample"), "COMPOSE_FILE=compose.yml\nA=1\n");
        Recipe r = Recipe.load(tmp, ".env.sample", Map.of("A", "2"), List.of("other.yml"), "mine", "x.test", new Random());
        assertEquals("mine", r.stack());
        assertEquals("x.test", r.env().get("DOMAIN"));
        assertEquals("2", r.env().get("A"));
        assertEquals(List.of(tmp.resolve("other.yml")), r.composeFiles());
    }
}
