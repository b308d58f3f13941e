package io.longshore.deploy.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AbraShTest {
    @Test
    void readsExportLinesQuotedOrBareAndResolvesReferencesAsEnvFilesDo() {
        AbraSh a = AbraSh.parse("""
                #!/usr/bin/env bash
                export APP_ENTRYPOINT_VERSION=v4
                export PG_BACKUP_VERSION="v6"   # bumped for 2.0
                export SINGLE='$NOT_EXPANDED'
                export HOST="db.${DOMAIN}"
                export FROM_ENV_FILE=$TYPE-$APP_ENTRYPOINT_VERSION
                """, Map.of("TYPE", "bonfire", "DOMAIN", "run.localhost"), Map.of("DOMAIN", "run.localhost"));
        assertEquals(Map.of("APP_ENTRYPOINT_VERSION", "v4", "PG_BACKUP_VERSION", "v6", "SINGLE", "$NOT_EXPANDED",
                "HOST", "db.run.localhost", "FROM_ENV_FILE", "bonfire-v4"), a.values());
        assertEquals(List.of("APP_ENTRYPOINT_VERSION", "PG_BACKUP_VERSION", "SINGLE", "HOST", "FROM_ENV_FILE"), a.names());
    }

    @Test
    void ignoresEverythingThatIsNotATopLevelExportAndNeverRunsIt() {
        AbraSh a = AbraSh.parse("""
                export CONFIG_VERSION=v2
                # export COMMENTED=1
                PLAIN=not-exported
                export -f some_function
                backup() {
                  export PGPASSWORD=$(cat /run/secrets/db_password)
                  pg_dump -U postgres > /backup.sql
                }
                one_liner() { export X=1; }
                """, Map.of(), Map.of());
        assertEquals(Map.of("CONFIG_VERSION", "v2"), a.values());
    }

    @Test
    void theFixedValuesWinAndAreNotCountedAsItsOwn() {
        AbraSh a = AbraSh.parse("export STACK_NAME=theirs\nexport A=1\n", Map.of(), Map.of("STACK_NAME", "mine", "A", "2"));
        assertEquals(Map.of(), a.values());
        assertEquals(0, a.count());
    }

    @Test
    void anExportLineItCannotReadWithoutRunningItNamesTheLine() {
        assertEquals("abra.sh line 2: 'export NGINX_VERSION=$(date +%s)' cannot be read without running abra.sh: its value is the"
                        + " output of a command (longshore reads its export NAME=value lines and never executes it)",
                malformed("export A=1\nexport NGINX_VERSION=$(date +%s)\n"));
        assertEquals("abra.sh line 1: 'export A=1 B=2' cannot be read without running abra.sh: it holds more than one word;"
                + " quote a value with blanks (longshore reads its export NAME=value lines and never executes it)", malformed("export A=1 B=2\n"));
        assertEquals("abra.sh line 1: 'export A=\"v1' cannot be read without running abra.sh: its quote is not closed on the line"
                + " (longshore reads its export NAME=value lines and never executes it)", malformed("export A=\"v1\n"));
        assertEquals("abra.sh line 3: 'export 1A=x' cannot be read without running abra.sh: it is not export NAME=value"
                + " (longshore reads its export NAME=value lines and never executes it)", malformed("\n\nexport 1A=x\n"));
        assertEquals("abra.sh line 1: 'export VERSION' cannot be read without running abra.sh: it is not export NAME=value"
                + " (longshore reads its export NAME=value lines and never executes it)", malformed("export VERSION\n"));
        assertEquals("abra.sh line 1: 'export V=\"`date`\"' cannot be read without running abra.sh: its value is the output of a"
                + " command (longshore reads its export NAME=value lines and never executes it)", malformed("export V=\"`date`\"\n"));
    }

    private static String malformed(String text) {
        return assertThrows(RecipeException.class, () -> AbraSh.parse(text, Map.of(), Map.of())).getMessage();
    }
}
