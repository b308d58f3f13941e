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
