package io.longshore.deploy.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvFileTest {
    @Test
    void readsQuotesCommentsExportAndEarlierKeys() {
        EnvFile f = EnvFile.parse(".env.sample", """
                # a recipe
                TYPE=app
                export PLAIN=value with spaces   # trailing comment
                DOUBLE="quoted # not a comment"
                SINGLE='$TYPE stays'
                ESC="line\\nnext \\"q\\""
                COMPOSE_FILE="compose.yml"
                COMPOSE_FILE="$COMPOSE_FILE:compose.db.yml"
                URL=https://${DOMAIN}/x
                HASH=a#b
                EMPTY=
                """, Map.of("DOMAIN", "d.localhost"));
        Map<String, String> v = f.values();
        assertEquals("app", v.get("TYPE"));
        assertEquals("value with spaces", v.get("PLAIN"));
        assertEquals("quoted # not a comment", v.get("DOUBLE"));
        assertEquals("$TYPE stays", v.get("SINGLE"));
        assertEquals("line\nnext \"q\"", v.get("ESC"));
        assertEquals("compose.yml:compose.db.yml", v.get("COMPOSE_FILE"));
        assertEquals("https://d.localhost/x", v.get("URL"));
        assertEquals("a#b", v.get("HASH"));
        assertEquals("", v.get("EMPTY"));
    }

    @Test
    void fixedValuesWinOverTheFile() {
        EnvFile f = EnvFile.parse("e", "DOMAIN=example.com\nSTACK_NAME=nope\nX=$DOMAIN\n",
                Map.of("DOMAIN", "run.localhost", "STACK_NAME", "run"));
        assertEquals("run.localhost", f.values().get("DOMAIN"));
        assertEquals("run", f.values().get("STACK_NAME"));
        assertEquals("run.localhost", f.values().get("X"));
    }

    @Test
    void keepsTheLengthCommentOfSecretVersions() {
        EnvFile f = EnvFile.parse("e", "SECRET_DB_PASSWORD_VERSION=v1 # length=48\nSECRET_KEY_VERSION=v2\n", Map.of());
        assertEquals(48, f.lengths().get("SECRET_DB_PASSWORD_VERSION"));
        assertEquals("v1", f.values().get("SECRET_DB_PASSWORD_VERSION"));
        assertTrue(!f.lengths().containsKey("SECRET_KEY_VERSION"));
    }

    @Test
    void keepsTheCharsetCommentAndWarnsAboutOneItDoesNotGenerate() {
        EnvFile f = EnvFile.parse(".env.sample", """
                SECRET_HMAC_VERSION=v1       # length=64 charset=hex
                SECRET_DB_VERSION=v1         # length=32 charset=alnum
                SECRET_KEY_VERSION=v1        # charset=special,safe length=16
                SECRET_PLAIN_VERSION=v1
                """, Map.of());
        assertEquals(Map.of("SECRET_HMAC_VERSION", SecretCharset.HEX, "SECRET_DB_VERSION", SecretCharset.ALNUM), f.charsets());
        assertEquals(Map.of("SECRET_HMAC_VERSION", 64, "SECRET_DB_VERSION", 32, "SECRET_KEY_VERSION", 16), f.lengths());
        assertEquals(List.of(".env.sample line 3: charset=special is not one longshore generates (alnum, hex);"
                + " SECRET_KEY_VERSION gets the default, alnum"), f.warnings());
    }

    @Test
    void namesFileAndLineOfARequiredVariable() {
        RecipeException e = assertThrows(RecipeException.class, () -> EnvFile.parse(".env", "A=1\nB=${NOPE:?needed}\n", Map.of()));
        assertTrue(e.getMessage().startsWith(".env line 2: required variable NOPE"), e.getMessage());
    }

    @Test
    void warnsAboutLinesThatAreNotAssignments() {
        EnvFile f = EnvFile.parse("e", "not an assignment\nA=1\n", Map.of());
        assertEquals(1, f.warnings().size());
        assertEquals("1", f.values().get("A"));
    }
}
