package io.longshore.deploy.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptionalOverlayTest {
    private static final String ENV = """
            COMPOSE_FILE="compose.yml"
            COMPOSE_FILE="$COMPOSE_FILE:compose.postgres.yml"
            SECRET_POSTGRES_PASSWORD_VERSION=v1

            # Enable the tuner (only after the first deploy)
            # COMPOSE_FILE="$COMPOSE_FILE:postgres/compose.postgres.tune.yml"

            #COMPOSE_FILE="$COMPOSE_FILE:compose.basicauth.yml"
            #SECRET_USERSFILE_VERSION=v1

            # COMPOSE_FILE="$COMPOSE_FILE:compose.mail.yml"
            # SECRET_MAIL_KEY_VERSION=v1
            # private key only necessary for some mail provider
            # COMPOSE_FILE="$COMPOSE_FILE:compose.mail.privatekey.yml"
            # SECRET_MAIL_PRIVATE_KEY_VERSION=v1
            # what service to use (uncomment the COMPOSE_FILE line for it)
            #MAIL_BACKEND=none

            # Transcription:
            #   COMPOSE_FILE="compose.yml:compose.transcription.yml"
            #   WHISPER_MODEL=Systran/faster-whisper-base
            #
            #   NOT_PART_OF_IT=1
            UNCOMMENTED=1
            """;

    private static final List<OptionalOverlay> FOUND = OptionalOverlay.find(".env.sample", ENV, Map.of("COMPOSE_FILE", "fixed.yml"));

    @Test
    void findsEveryCommentedComposeFileLineWithTheFilesItWouldDeploy() {
        assertEquals(List.of(6, 8, 11, 14, 20), FOUND.stream().map(OptionalOverlay::line).toList());
        assertEquals(List.of(
                List.of("compose.yml", "compose.postgres.yml", "postgres/compose.postgres.tune.yml"),
                List.of("compose.yml", "compose.postgres.yml", "compose.basicauth.yml"),
                List.of("compose.yml", "compose.postgres.yml", "compose.mail.yml"),
                List.of("compose.yml", "compose.postgres.yml", "compose.mail.privatekey.yml"),
                List.of("compose.yml", "compose.transcription.yml")), FOUND.stream().map(OptionalOverlay::composeFiles).toList());
    }

    @Test
    void takesTheCommentedSettingsRightAfterTheLineUpToABlankLineAnEmptyCommentOrTheNextOverlay() {
        assertEquals(List.of(List.of(), List.of("SECRET_USERSFILE_VERSION"), List.of("SECRET_MAIL_KEY_VERSION"),
                        List.of("SECRET_MAIL_PRIVATE_KEY_VERSION", "MAIL_BACKEND"), List.of("WHISPER_MODEL")),
                FOUND.stream().map(OptionalOverlay::variables).toList());
        assertEquals(List.of(14, 15, 17), FOUND.get(3).lines());
    }

    @Test
    void enablingOneUncommentsItsLinesAsAnOperatorWould() {
        String enabled = FOUND.get(1).enable(ENV);
        EnvFile parsed = EnvFile.parse(".env.sample", enabled, Map.of());
        assertEquals("compose.yml:compose.postgres.yml:compose.basicauth.yml", parsed.values().get("COMPOSE_FILE"));
        assertEquals("v1", parsed.values().get("SECRET_USERSFILE_VERSION"));
        assertEquals(null, parsed.values().get("SECRET_MAIL_KEY_VERSION"));
        assertEquals(ENV.lines().count(), enabled.lines().count());
    }

    @Test
    void describesItselfForDryRun() {
        assertEquals(".env.sample line 8: compose.yml:compose.postgres.yml:compose.basicauth.yml (with SECRET_USERSFILE_VERSION)",
                FOUND.get(1).describe(".env.sample"));
    }
}
