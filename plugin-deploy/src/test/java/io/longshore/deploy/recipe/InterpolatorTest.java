package io.longshore.deploy.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InterpolatorTest {
    private final List<String> unset = new ArrayList<>();
    private final Interpolator i = new Interpolator(Map.of("A", "a", "EMPTY", "")::get, unset::add);

    @Test
    void substitutesEveryComposeForm() {
        assertEquals("a-a-x", i.apply("$A-${A}-${B:-x}"));
        assertEquals("d|", i.apply("${EMPTY:-d}|${EMPTY-d}"));
        assertEquals("|d", i.apply("${B+alt}|${B-d}"));
        assertEquals("alt|", i.apply("${A:+alt}|${EMPTY:+alt}"));
        assertEquals("$A costs $5", i.apply("$$A costs $$5"));
        assertEquals("price $", i.apply("price $"));
        assertEquals("a", i.apply("${B:-${A}}"));
    }

    @Test
    void forShellCommandsSubstitutesTheRecipesVariablesAndLeavesTheShellsOwn() {
        Interpolator shell = Interpolator.forShell(Map.of("A", "a", "STACK_NAME", "st")::get);
        assertEquals("test \"$APP_VERSION\" = 2 && grep -q marker-st /data/marker",
                shell.apply("test \"$APP_VERSION\" = 2 && grep -q marker-${STACK_NAME} /data/marker"));
        assertEquals("${HOME} ${#x} ${x%.txt} ${A%a} a d", shell.apply("${HOME} ${#x} ${x%.txt} ${A%a} $A ${B:-d}"));
    }

    @Test
    void reportsUnsetVariablesAndUsesEmpty() {
        assertEquals("x--y", i.apply("x-$NOPE-y"));
        assertEquals(List.of("NOPE"), unset);
    }

    @Test
    void failsOnRequiredVariableNamingIt() {
        MissingVariableException e = assertThrows(MissingVariableException.class, () -> i.apply("${DB_PASS:?set the password}"));
        assertEquals("DB_PASS", e.variable());
        assertTrue(e.getMessage().contains("set the password"), e.getMessage());
        assertThrows(MissingVariableException.class, () -> i.apply("${EMPTY:?}"));
        assertEquals("", i.apply("${EMPTY?}"));
        assertThrows(MissingVariableException.class, () -> i.apply("${NOPE?}"));
    }

    @Test
    void rejectsMalformedExpressions() {
        assertThrows(MissingVariableException.class, () -> i.apply("${A"));
        assertThrows(MissingVariableException.class, () -> i.apply("${1x}"));
    }
}
