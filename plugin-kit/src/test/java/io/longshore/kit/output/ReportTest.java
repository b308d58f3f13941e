package io.longshore.kit.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReportTest {
    record Details(Duration timeout, Duration took) {}

    @Test
    void writesDurationsInTheReportAsSettingsWriteThem() {
        JsonNode doc = new Report().document("sample", "1.0", "ok", 0, Instant.EPOCH, Duration.ofMillis(1500), "fine", null,
                new Details(Duration.ofMinutes(3), Duration.ofMillis(2345)));
        assertEquals("3m", doc.path("details").path("timeout").asText());
        assertEquals("2.345s", doc.path("details").path("took").asText());
        assertEquals(1500, doc.path("durationMs").asLong());
    }
}
