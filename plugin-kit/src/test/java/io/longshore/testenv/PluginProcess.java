package io.longshore.testenv;

import io.longshore.kit.wait.Deadline;
import io.longshore.kit.wait.Pace;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A plugin's jar ({@code target/<module>.jar}) run as its own process with this JVM's java, as a CI
 * runs the image: {@code PLUGIN_*} variables in, its output collected line by line, and SIGTERM
 * as a cancelled pipeline sends it.
 */
public final class PluginProcess implements AutoCloseable {
    private final Process process;
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    private final Thread reader;

    /** {@code env} is added to the test environment's variables (with every {@code PLUGIN_} one removed first). */
    public PluginProcess(Path jar, Map<String, String> env) throws IOException {
        if (!Files.exists(jar)) {
            throw new AssertionError(jar.toAbsolutePath() + " is missing: integration tests run after package");
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-jar", jar.toString()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("PLUGIN_"));
        pb.environment().putAll(TestEnv.require());
        pb.environment().putAll(env);
        process = pb.start();
        reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    lines.add(l);
                }
            } catch (IOException e) {
                lines.add("(output ended: " + e.getMessage() + ")");
            }
        });
    }

    public void awaitLine(Predicate<String> p, Duration timeout) throws InterruptedException {
        boolean seen = Deadline.in(timeout).await(() -> {
            synchronized (lines) {
                return lines.stream().anyMatch(p);
            }
        }, Pace.every(Duration.ofMillis(50)));
        if (!seen) {
            throw new AssertionError("the plugin did not print the expected line within " + timeout + "; it printed:\n" + output());
        }
    }

    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the plugin did not exit within " + timeout + "; it printed:\n" + output());
        }
        reader.join(5_000);
        return process.exitValue();
    }

    /** SIGTERM. (Process.destroy() would also close our end of its output.) */
    public void sigterm() {
        process.toHandle().destroy();
    }

    public String output() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    /** The last line: the summary. */
    public String lastLine() {
        synchronized (lines) {
            return lines.isEmpty() ? "" : lines.getLast();
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
