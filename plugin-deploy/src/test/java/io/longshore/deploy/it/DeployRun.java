package io.longshore.deploy.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.longshore.deploy.DeployCommand;
import io.longshore.kit.run.Launcher;
import io.longshore.kit.run.ShutdownHooks;
import io.longshore.testenv.TestEnv;
import io.longshore.testenv.WatchedOutput;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** One deploy run in this JVM, as a pipeline would start it: PLUGIN_ variables in, exit code, output and report out. */
public record DeployRun(int exitCode, String output, JsonNode report, Duration took) {
    public static DeployRun of(Map<String, String> settings, Path reportDir) throws IOException {
        return of(settings, reportDir, new WatchedOutput());
    }

    /** As {@link #of(Map, Path)}, printing to {@code out} (which may act on chosen lines). */
    public static DeployRun of(Map<String, String> settings, Path reportDir, WatchedOutput watched) throws IOException {
        Map<String, String> env = new HashMap<>(TestEnv.require());
        env.entrySet().removeIf(e -> e.getKey().startsWith("PLUGIN_"));
        env.putAll(settings);
        Path report = Files.createTempFile(reportDir, "report", ".json");
        env.put("PLUGIN_REPORT", report.toString());
        PrintStream out = watched.stream();
        Instant start = Instant.now();
        int code = new Launcher(env, out, out, new ShutdownHooks(m -> {})).execute(new DeployCommand(), new String[0]);
        Duration took = Duration.between(start, Instant.now());
        JsonNode json = Files.size(report) == 0 ? null : new ObjectMapper().readTree(report.toFile());
        return new DeployRun(code, watched.text(), json, took);
    }

    public JsonNode details() {
        return report == null ? null : report.path("details");
    }
}
