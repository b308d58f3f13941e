package io.longshore.kit.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SettingFormatsTest {

    @Test
    void readsDurationsInEveryDocumentedForm() {
        assertEquals(Duration.ofSeconds(90), SettingFormats.parseDuration("90s"));
        assertEquals(Duration.ofMinutes(5), SettingFormats.parseDuration("5m"));
        assertEquals(Duration.ofHours(2), SettingFormats.parseDuration("2h"));
        assertEquals(Duration.ofSeconds(45), SettingFormats.parseDuration("45"));
        assertEquals(Duration.ofMinutes(90), SettingFormats.parseDuration("1h30m"));
        assertEquals(Duration.ofMillis(250), SettingFormats.parseDuration("250ms"));
        assertEquals(Duration.ofDays(1), SettingFormats.parseDuration("1d"));
        assertEquals(Duration.ofMillis(1500), SettingFormats.parseDuration("1.5s"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5x", "m5", "-3s", "1h 30m", "abc", "5m junk"})
    void rejectsMalformedDurationsNamingTheForm(String raw) {
        var e = assertThrows(IllegalArgumentException.class, () -> SettingFormats.parseDuration(raw));
        assertTrue(e.getMessage().contains("is not a duration; use a duration such as 90s"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({
            "PT20S, 20s", "PT3M, 3m", "PT1H30M, 1h30m", "PT90S, 1m30s", "PT24H, 24h", "PT0.25S, 250ms",
            "PT1.5S, 1.5s", "PT0S, 0s", "PT2H0.05S, 2h0.05s", "PT-5S, -5s", "PT0.0000004S, 0s",
    })
    void printsDurationsAsSettingsWriteThemNotAsIso8601(Duration d, String written) {
        assertEquals(written, SettingFormats.formatDuration(d));
    }

    @ParameterizedTest
    @ValueSource(strings = {"20s", "3m", "1h30m", "250ms", "1.5s", "36h", "1h0.001s"})
    void readsBackEveryDurationItPrints(String written) {
        assertEquals(written, SettingFormats.formatDuration(SettingFormats.parseDuration(written)));
    }

    @Test
    void readsSizesWithDecimalAndBinaryUnits() {
        assertEquals(512L << 20, SettingFormats.parseSize("512MiB").bytes());
        assertEquals(5_000_000_000L, SettingFormats.parseSize("5GB").bytes());
        assertEquals(1234L, SettingFormats.parseSize("1234").bytes());
        assertEquals(2L << 30, SettingFormats.parseSize("2g").bytes());
        assertEquals(1536L, SettingFormats.parseSize("1.5KiB").bytes());
    }

    @ParameterizedTest
    @ValueSource(strings = {"5 parsecs", "GB", "-1", "12XB", "lots"})
    void rejectsMalformedSizesNamingTheForm(String raw) {
        var e = assertThrows(IllegalArgumentException.class, () -> SettingFormats.parseSize(raw));
        assertTrue(e.getMessage().contains("use a size such as 512MiB"), e.getMessage());
    }

    @Test
    void readsBooleansAsBothCisWriteThem() {
        for (String t : List.of("true", "TRUE", "yes", "1", "on")) {
            assertTrue(SettingFormats.parseBoolean(t), t);
        }
        for (String f : List.of("false", "No", "0", "off")) {
            assertFalse(SettingFormats.parseBoolean(f), f);
        }
        var e = assertThrows(IllegalArgumentException.class, () -> SettingFormats.parseBoolean("maybe"));
        assertTrue(e.getMessage().contains("true/false, yes/no or 1/0"));
    }

    @Test
    void readsListsCommaSeparatedOrAsJsonArrays() {
        assertEquals(List.of("a", "b", "c"), SettingFormats.parseList("a, b,,c").values());
        assertEquals(List.of("x,y", "z"), SettingFormats.parseList("[\"x,y\", \"z\"]").values());
        assertEquals(List.of("{\"name\":\"t\",\"service\":\"web\"}"),
                SettingFormats.parseList("[{\"name\":\"t\",\"service\":\"web\"}]").values());
    }

    @Test
    void rejectsBrokenJsonListsNamingTheForm() {
        var e = assertThrows(IllegalArgumentException.class, () -> SettingFormats.parseList("[\"a\", "));
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
        assertTrue(e.getMessage().contains("comma-separated list or a JSON array"), e.getMessage());
    }

    @Test
    void readsMapsAsJsonObjectsOrKeyValuePairs() {
        assertEquals(Map.of("A", "1", "B", "two=2"), SettingFormats.parseMap("A=1, B=two=2").values());
        assertEquals(Map.of("A", "1", "B", "true"), SettingFormats.parseMap("{\"A\": 1, \"B\": true}").values());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"A\": ", "novalue", "=x", "[\"a\"]x"})
    void rejectsMalformedMapsNamingTheForm(String raw) {
        var e = assertThrows(IllegalArgumentException.class, () -> SettingFormats.parseMap(raw));
        assertTrue(e.getMessage().contains("a JSON object or KEY=VALUE,KEY=VALUE"), e.getMessage());
    }

    @Test
    void rejectsNonNumbersForWholeNumberSettings() {
        var e = assertThrows(IllegalArgumentException.class, () -> SettingFormats.parseInt("8x"));
        assertTrue(e.getMessage().contains("is not a whole number"));
    }

    @Test
    void secretsNeverShowInStrings() {
        Secret s = new Secret("hunter2");
        assertFalse(s.toString().contains("hunter2"));
        assertEquals("hunter2", s.reveal());
    }
}
