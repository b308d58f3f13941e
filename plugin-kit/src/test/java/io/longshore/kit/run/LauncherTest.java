package io.longshore.kit.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.longshore.kit.output.Report;
import io.longshore.kit.settings.DataSize;
import io.longshore.kit.settings.InvalidSettingException;
import io.longshore.kit.settings.ReportSetting;
import io.longshore.kit.settings.Secret;
import io.longshore.kit.settings.StringList;
import io.longshore.kit.settings.StringMap;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

class LauncherTest {

    enum Color { red, green }

    @Command(name = "sample", mixinStandardHelpOptions = true, description = "A plugin for tests.")
    static final class Sample implements Plugin {
        @Option(names = "--name", description = "A name") String name;
        @Option(names = "--timeout", defaultValue = "5m", description = "A deadline") Duration timeout;
        @Option(names = "--size", description = "A size") DataSize size;
        @Option(names = "--tags", description = "Some tags") StringList tags;
        @Option(names = "--env", description = "A map") StringMap env;
        @Option(names = "--count", defaultValue = "8", description = "A count") int count;
        @Option(names = "--color", defaultValue = "red", description = "A color") Color color;
        @Option(names = "--deep", arity = "0..1", fallbackValue = "true", defaultValue = "false", description = "A flag") boolean deep;
        @Option(names = "--password", description = "A secret") Secret password;
        @Option(names = "--required-thing", required = true, description = "Something needed") String requiredThing;
        @Mixin ReportSetting report;

        Function<Sample, Outcome> body = s -> Outcome.ok("fine");
        Function<Job, Outcome> jobBody;

        @Override
        public void validate(Job job) throws InvalidSettingException {
            if (count > 100) {
                throw InvalidSettingException.of("--count", "is too large; use at most 100");
            }
        }

        @Override
        public Outcome run(Job job) {
            return jobBody != null ? jobBody.apply(job) : body.apply(this);
        }
    }

    final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    final Map<String, String> env = new HashMap<>(Map.of("PLUGIN_REQUIRED_THING", "x"));

    int run(Sample plugin, String... args) {
        PrintStream out = new PrintStream(stdout, true, StandardCharsets.UTF_8);
        return new Launcher(env, out, out, new ShutdownHooks(m -> {})).execute(plugin, args);
    }

    String output() {
        return stdout.toString(StandardCharsets.UTF_8);
    }

    @Test
    void bindsEveryFormFromPluginVariables() {
        env.putAll(Map.of("PLUGIN_NAME", "web", "PLUGIN_TIMEOUT", "90s", "PLUGIN_SIZE", "1KiB",
                "PLUGIN_TAGS", "[\"a\",\"b\"]", "PLUGIN_ENV", "{\"A\":\"1\"}", "PLUGIN_COUNT", "3",
                "PLUGIN_COLOR", "GREEN", "PLUGIN_DEEP", "yes"));
        Sample s = new Sample();
        assertEquals(0, run(s));
        assertEquals("web", s.name);
        assertEquals(Duration.ofSeconds(90), s.timeout);
        assertEquals(1024, s.size.bytes());
        assertEquals(java.util.List.of("a", "b"), s.tags.values());
        assertEquals(Map.of("A", "1"), s.env.values());
        assertEquals(3, s.count);
        assertEquals(Color.green, s.color);
        assertTrue(s.deep);
    }

    @Test
    void theOptionWinsOverTheVariable() {
        env.put("PLUGIN_NAME", "from-env");
        Sample s = new Sample();
        run(s, "--name", "from-option");
        assertEquals("from-option", s.name);
    }

    @Test
    void anEmptyVariableIsUnsetAndTheDefaultHolds() {
        env.put("PLUGIN_TIMEOUT", "");
        env.put("PLUGIN_NAME", "  ");
        Sample s = new Sample();
        assertEquals(0, run(s));
        assertEquals(Duration.ofMinutes(5), s.timeout);
        assertEquals(null, s.name);
    }

    @Test
    void aFlagWithoutValueMeansTrue() {
        Sample s = new Sample();
        run(s, "--deep");
        assertTrue(s.deep);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "PLUGIN_TIMEOUT|5x|PLUGIN_TIMEOUT: '5x' is not a duration; use a duration such as 90s",
            "PLUGIN_SIZE|5 parsecs|PLUGIN_SIZE: '5 parsecs' is not a size; use a size such as 512MiB",
            "PLUGIN_ENV|{\"A\":|PLUGIN_ENV: the value is not valid JSON",
            "PLUGIN_ENV|novalue|PLUGIN_ENV: 'novalue' is not a map",
            "PLUGIN_TAGS|[1,|PLUGIN_TAGS: the value is not valid JSON",
            "PLUGIN_COUNT|many|PLUGIN_COUNT: 'many' is not a whole number",
            "PLUGIN_COLOR|blue|PLUGIN_COLOR: expected one of [red, green]",
            "PLUGIN_DEEP|maybe|PLUGIN_DEEP: 'maybe' is not a boolean; use true/false, yes/no or 1/0",
            "PLUGIN_COUNT|500|PLUGIN_COUNT: is too large; use at most 100",
    })
    void everyMalformedSettingExitsTwoNamingTheVariableAndTheForm(String variable, String value, String expected) {
        env.put(variable, value);
        assertEquals(2, run(new Sample()));
        String last = output().strip().lines().reduce((a, b) -> b).orElseThrow();
        assertTrue(last.startsWith("sample: invalid (exit 2"), last);
        assertTrue(last.contains(expected), last);
    }

    @Test
    void aMissingRequiredSettingExitsTwoNamingTheVariable() {
        env.remove("PLUGIN_REQUIRED_THING");
        assertEquals(2, run(new Sample()));
        assertTrue(output().contains("PLUGIN_REQUIRED_THING: is required (Something needed)"), output());
    }

    @Test
    void aRefusalFromTheRunNamesItsVariableToo() {
        Sample s = new Sample();
        s.body = p -> Outcome.invalid("--name", "the directory /nope does not exist");
        assertEquals(2, run(s));
        assertTrue(output().contains("sample: invalid (exit 2") && output().contains("PLUGIN_NAME: the directory /nope does not exist"), output());
    }

    @Test
    void aRefusalCannotNameSomethingThatIsNoVariable() {
        assertThrows(IllegalArgumentException.class, () -> new Outcome.Invalid("the recipe", "is broken"));
    }

    @Test
    void warnsAboutATypoWithTheClosestName() {
        env.put("PLUGIN_TAGZ", "a");
        assertEquals(0, run(new Sample()));
        assertTrue(output().contains("warning: PLUGIN_TAGZ is not a setting of sample; did you mean PLUGIN_TAGS?"), output());
    }

    @Test
    void helpListsEveryVariableWithItsDefault() {
        assertEquals(0, run(new Sample(), "--help"));
        String help = output();
        for (String v : new String[] {"PLUGIN_NAME", "PLUGIN_TIMEOUT  [5m]", "PLUGIN_COUNT  [8]", "PLUGIN_PASSWORD", "PLUGIN_REPORT"}) {
            assertTrue(help.contains(v), v + " missing from help:\n" + help);
        }
    }

    @Test
    void secretsAreMaskedInConsoleAndReport(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("out/report.json");
        env.put("PLUGIN_PASSWORD", "s3cr3t-value");
        env.put("PLUGIN_REPORT", report.toString());
        Sample s = new Sample();
        s.body = p -> Outcome.failed("login with s3cr3t-value was refused");
        assertEquals(1, run(s));
        assertFalse(output().contains("s3cr3t-value"), output());
        assertTrue(output().contains("login with ****** was refused"), output());
        String json = Files.readString(report);
        assertFalse(json.contains("s3cr3t-value"), json);
    }

    @Test
    void secretsAreMaskedEvenWhenAnotherSettingIsInvalid() {
        env.put("PLUGIN_PASSWORD", "s3cr3t-value");
        env.put("PLUGIN_NAMEZ", "s3cr3t-value");
        env.put("PLUGIN_TIMEOUT", "s3cr3t-value");
        assertEquals(2, run(new Sample()));
        assertFalse(output().contains("s3cr3t-value"), output());
    }

    @Test
    void writesTheReportWithTheContractFields(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("report.json");
        env.put("DRONE_REPO", "team/app");
        env.put("DRONE_BUILD_NUMBER", "42");
        Sample s = new Sample();
        s.body = p -> new Outcome.Ok("all good", Map.of("checked", 3));
        assertEquals(0, run(s, "--report", report.toString()));
        JsonNode doc = Report.json().readTree(report.toFile());
        assertEquals("sample", doc.get("plugin").asText());
        assertEquals("ok", doc.get("outcome").asText());
        assertEquals(0, doc.get("exitCode").asInt());
        assertTrue(doc.hasNonNull("version"));
        assertTrue(doc.hasNonNull("startedAt"));
        assertTrue(doc.get("durationMs").asLong() >= 0);
        assertEquals(3, doc.get("details").get("checked").asInt());
        assertEquals("team/app", doc.get("ci").get("repo").asText());
    }

    @ParameterizedTest
    @CsvSource({"ok,0", "failed,1", "invalid,2", "unreachable,3", "locked,4"})
    void mapsEachOutcomeToItsExitCode(String outcome, int code) {
        Sample s = new Sample();
        s.body = p -> switch (outcome) {
            case "ok" -> Outcome.ok("x");
            case "failed" -> Outcome.failed("x");
            case "invalid" -> Outcome.invalid("--name", "x");
            case "unreachable" -> new Outcome.Unreachable("x", null);
            default -> new Outcome.Locked("x", null);
        };
        assertEquals(code, run(s));
        assertTrue(output().contains("sample: " + outcome + " (exit " + code), output());
    }

    @Test
    void anUnexpectedExceptionEndsInOnePlainSentenceWithoutAStackTrace() {
        Sample s = new Sample();
        s.body = p -> {
            throw new IllegalStateException("boom");
        };
        assertEquals(1, run(s));
        assertTrue(output().contains("unexpected error: IllegalStateException: boom"), output());
        assertFalse(output().contains("\tat "), output());
    }

    @Test
    void anUnexpectedExceptionNamesTheStepAndWhatItWasLastWorkingOn() {
        Sample s = new Sample();
        s.jobBody = job -> {
            job.events().step("deploy app-3f9c1a");
            job.events().progress("creating secret app-3f9c1a_db_password_v1");
            throw new IllegalStateException("boom");
        };
        assertEquals(1, run(s));
        assertTrue(output().contains("sample: failed (exit 1, ") && output().contains("): unexpected error in step 'deploy app-3f9c1a' "
                + "(last: 'creating secret app-3f9c1a_db_password_v1'): IllegalStateException: boom"), output());
    }

    @Test
    void aRunEndedBySigtermSaysItWasCancelledDuringTheStepItInterrupted(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("r.json");
        env.put("PLUGIN_REPORT", report.toString());
        Sample s = new Sample();
        s.jobBody = job -> {
            job.events().step("converge");
            job.hooks().signalled("SIGTERM");
            job.hooks().runAll();
            job.events().step("teardown app-3f9c1a"); // the cleanup that follows is not what was interrupted
            return Outcome.failed("app-3f9c1a torn down and verified clean");
        };

        assertEquals(1, run(s));

        assertTrue(output().contains("sample: cancelled (exit 1, "), output());
        assertTrue(output().contains("): cancelled (SIGTERM) during converge; app-3f9c1a torn down and verified clean"), output());
        JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(report.toFile());
        assertEquals("cancelled", json.path("outcome").asText());
        assertEquals(1, json.path("exitCode").asInt());
    }

    @Test
    void anUnreachableEngineExitsThree() {
        Sample s = new Sample();
        s.body = p -> {
            throw new UnreachableException("the Docker engine at unix:///nope cannot be reached");
        };
        assertEquals(3, run(s));
    }
}
