package io.longshore.deploy.compose;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.longshore.deploy.recipe.RecipeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackCheckTest {
    private static final Map<String, String> ENV = Map.of("STACK_NAME", "x", "SECRET_DB_VERSION", "v1", "EMPTY", "");

    @TempDir
    Path dir;

    /** Writes {@code files} (name, text, name, text, ...) and checks them merged in that order. */
    private void check(String... files) throws Exception {
        List<Path> paths = new ArrayList<>();
        for (int i = 0; i < files.length; i += 2) {
            paths.add(Files.writeString(dir.resolve(files[i]), files[i + 1]));
        }
        StackCheck.check(ComposeProject.load(paths, ENV), "x", ENV);
    }

    private String refusal(String... files) {
        return assertThrows(RecipeException.class, () -> check(files)).getMessage();
    }

    @Test
    void aConfigNameEndingInAnUnsetVersionNamesTheFileTheLineAndTheVariable() {
        assertEquals("configs.pg_backup.name (compose.postgres.yml line 7) interpolates to `x_pg_backup_`: "
                        + "PG_BACKUP_VERSION is not set (Co-op Cloud recipes set config versions in abra.sh)",
                refusal("compose.yml", """
                        services:
                          app: {image: busybox}
                        """, "compose.postgres.yml", """
                        services:
                          db:
                            image: postgres
                            configs: [pg_backup]
                        configs:
                          pg_backup:
                            name: ${STACK_NAME}_pg_backup_${PG_BACKUP_VERSION}
                            file: pg_backup.sh
                        """));
    }

    @Test
    void aSecretNameWithAnEmptyVersionSaysSoAndWhereSecretVersionsGo() {
        assertEquals("secrets.db.name (compose.yml line 6) interpolates to `x_db_`: EMPTY is empty", refusal("compose.yml", """
                services:
                  app: {image: busybox, secrets: [db]}
                secrets:
                  db:
                    external: true
                    name: ${STACK_NAME}_db_${EMPTY}
                """));
        assertEquals("secrets.db.name (compose.yml line 5) interpolates to `x_db_`: SECRET_DB_PASSWORD_VERSION is not set "
                + "(Co-op Cloud recipes set secret versions in the env file, e.g. SECRET_DB_PASSWORD_VERSION=v1)", refusal("compose.yml", """
                services:
                  app: {image: busybox, secrets: [db]}
                secrets:
                  db:
                    name: ${STACK_NAME}_db_${SECRET_DB_PASSWORD_VERSION}
                    external: true
                """));
    }

    @Test
    void aNameWithoutVariablesToBlameGetsTheEnginesRule() {
        assertEquals("configs.conf.name (compose.yml line 5) interpolates to `-conf`: the engine accepts at most 64 characters"
                + " of a-z, A-Z, 0-9, '-', '_' and '.', starting and ending with a letter or digit", refusal("compose.yml", """
                services:
                  app: {image: busybox}
                configs:
                  conf:
                    name: -conf
                    content: x
                """));
        assertEquals("networks.back.end (compose.yml line 4) becomes the name `x_back.end`: the engine accepts at most 63 letters,"
                + " digits, '-' and '_' for a swarm network, starting and ending with a letter or digit", refusal("compose.yml", """
                services:
                  app: {image: busybox, networks: [back.end]}
                networks:
                  back.end:
                """));
        assertEquals("volumes.data.name (compose.yml line 5) interpolates to `d`: the local volume driver accepts a-z, A-Z, 0-9,"
                + " '_', '.' and '-', at least two, starting with a letter or digit", refusal("compose.yml", """
                services:
                  app: {image: busybox, volumes: ["data:/data"]}
                volumes:
                  data:
                    name: d
                """));
        assertEquals("secrets.s.name (compose.yml line 5) interpolates to `" + "a".repeat(65) + "`: the engine accepts at most 64 characters"
                + " of a-z, A-Z, 0-9, '-', '_' and '.', starting and ending with a letter or digit", refusal("compose.yml", """
                services:
                  app: {image: busybox}
                secrets:
                  s:
                    name: %s
                    file: s.txt
                """.formatted("a".repeat(65))));
    }

    @Test
    void namesTheEngineAcceptsPass() {
        assertDoesNotThrow(() -> check("compose.yml", """
                services:
                  app: {image: busybox, networks: [proxy, internal, bridged], secrets: [db], volumes: ["data:/d"]}
                networks:
                  proxy: {external: true}
                  internal:
                  bridged: {driver: bridge, name: "local.only"}
                volumes:
                  data:
                secrets:
                  db:
                    external: true
                    name: ${STACK_NAME}_db_${SECRET_DB_VERSION:-v1}
                configs:
                  unused:
                    name: ${STACK_NAME}_unused.v1
                    content: x
                """));
    }

    @Test
    void aServiceUsingASecretNoFileDefinesIsRefusedAsTheCliRefusesIt() {
        assertEquals("service app: undefined secret \"github_client_secret\" (compose.auth.github.yml line 5): no compose file"
                + " defines it under secrets:, and docker stack deploy refuses it too", refusal("compose.yml", """
                services:
                  app: {image: busybox}
                """, "compose.auth.github.yml", """
                services:
                  app:
                    environment: [GITHUB_CLIENT_SECRET_FILE=/run/secrets/github_client_secret]
                    secrets:
                      - github_client_secret
                secrets:
                  oauth_client_secret:
                    external: true
                    name: ${STACK_NAME}_github_client_secret_v1
                """));
    }

    @Test
    void anUndefinedConfigNetworkOrVolumeIsRefusedWithItsLine() {
        assertEquals("service app: undefined config \"conf\" (compose.yml line 5): no compose file defines it under configs:,"
                + " and docker stack deploy refuses it too", refusal("compose.yml", """
                services:
                  app:
                    image: busybox
                    configs:
                      - source: conf
                        target: /conf
                """));
        assertEquals("service app: undefined network \"backend\" (compose.yml line 2): no compose file defines it under networks:,"
                + " and docker stack deploy refuses it too", refusal("compose.yml", """
                services:
                  app: {image: busybox, networks: [backend]}
                """));
        assertEquals("service app: undefined volume \"data\" (compose.yml line 2): no compose file defines it under volumes:,"
                + " and docker stack deploy refuses it too", refusal("compose.yml", """
                services:
                  app: {image: busybox, volumes: ["data:/data"]}
                """));
    }
}
