package io.longshore.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.longshore.kit.run.Launcher;
import io.longshore.kit.run.ShutdownHooks;
import io.longshore.verify.registry.Backoff;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Runs verify-registry the way a CI runner does — PLUGIN_* variables in, exit code, stdout and report out. */
record Run(int exitCode, String stdout, String stderr, JsonNode report, String reportText) {

    static Run of(Path dir, Map<String, String> settings) {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", dir.toString());
        env.put("CI_WORKSPACE", dir.toString());
        Path report = dir.resolve("report-" + System.nanoTime() + ".json");
        env.put("PLUGIN_REPORT", report.toString());
        env.putAll(settings);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        VerifyRegistryCommand command = new VerifyRegistryCommand();
        command.backoff = new Backoff(Duration.ofMillis(20), Duration.ofMillis(500));
        int code = new Launcher(env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                new ShutdownHooks(l -> {})).execute(command, new String[0]);
        String text = null;
        JsonNode json = null;
        try {
            if (Files.exists(report)) {
                text = Files.readString(report);
                json = new ObjectMapper().readTree(text);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), json, text);
    }

    /** Everything a user could see: console, errors and the report. */
    String everything() {
        return stdout + "\n" + stderr + "\n" + (reportText == null ? "" : reportText);
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n" + stdout + stderr;
    }
}
