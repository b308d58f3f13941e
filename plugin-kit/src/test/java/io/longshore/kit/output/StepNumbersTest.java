package io.longshore.kit.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StepNumbersTest {
    @Test
    void theConsoleAndTheReportNumberDeclaredStepsAndSkipOnesThatDidNotHappen() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Console console = new Console(new PrintStream(bytes, true, StandardCharsets.UTF_8), new Masker(), "deploy");
        Report report = new Report();
        Events events = Events.fanOut(console, report);
        events.step("recipe");
        events.planSteps(List.of("janitor", "stage install", "deploy app", "converge", "health", "teardown app"));
        events.step("janitor");
        events.step("janitor: find expired runs");
        events.step("stage install");
        events.step("deploy app");
        events.step("converge");
        events.step("teardown app");
        assertEquals(List.of("==> recipe", "==> [1/6] janitor", "==> janitor: find expired runs", "==> [2/6] stage install",
                "==> [3/6] deploy app", "==> [4/6] converge", "==> [6/6] teardown app"),
                bytes.toString(StandardCharsets.UTF_8).lines().toList());
        JsonNode steps = report.document("deploy", "0", "ok", 0, Instant.EPOCH, Duration.ZERO, "", null, null).path("steps");
        assertEquals(7, steps.size());
        assertEquals(4, steps.get(5).path("number").asInt(), "converge");
        assertEquals(6, steps.get(5).path("of").asInt());
        assertEquals(true, steps.get(0).path("number").isNull());
    }
}
