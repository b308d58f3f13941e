package io.longshore.deploy.warm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.longshore.deploy.recipe.RecipeVersion;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SafetyGateTest {
    private static RecipeVersion v(String tag) {
        return RecipeVersion.parse(tag);
    }

    private static Optional<SafetyGate.Hold> check(String from, String to, Map<String, String> notes) {
        return SafetyGate.check(v(from), v(to), notes, SafetyGate.DEFAULT_MARKERS);
    }

    @Test
    void aPatchOrMinorWithQuietNotesGoesAhead() {
        assertTrue(check("1.0.1+1.0", "1.1.0+1.2", Map.of("1.1.0+1.2", "Adds a theme.")).isEmpty());
    }

    @Test
    void aMajorOfTheRecipeOrOfTheAppIsHeld() {
        assertEquals("held-major", check("1.4.0+1.0", "2.0.0+1.0", Map.of()).orElseThrow().reason());
        SafetyGate.Hold app = check("10.7.1+25.0.6", "10.8.0+26.0.1", Map.of()).orElseThrow();
        assertEquals("held-major", app.reason());
        assertTrue(app.sentence().contains("the app's major version goes from 25 to 26"), app.sentence());
    }

    @Test
    void notesOfAnyVersionUpToTheLatestThatAskForAManualStepHoldIt() {
        Map<String, String> notes = new LinkedHashMap<>();
        notes.put("1.0.2+1.0", "Nothing to do.");
        notes.put("1.1.0+1.0", "BREAKING CHANGE: the config moved.");
        SafetyGate.Hold h = check("1.0.1+1.0", "1.2.0+1.0", notes).orElseThrow();
        assertEquals("held-notes", h.reason());
        assertTrue(h.sentence().contains("1.1.0+1.0 (\"breaking change\")"), h.sentence());
        assertTrue(h.notes().contains("## 1.1.0+1.0\nBREAKING CHANGE"), h.notes());
    }

    @Test
    void theMarkersAreTheOperatorsToChoose() {
        assertTrue(SafetyGate.check(v("1.0.0"), v("1.0.1"), Map.of("1.0.1", "run it manually"), java.util.List.of("ask ops")).isEmpty());
    }

    @Test
    void anAppVersionWithoutANumberIsNoMajorBump() {
        assertTrue(check("1.0.0+latest", "1.0.1+stable", Map.of()).isEmpty());
    }
}
