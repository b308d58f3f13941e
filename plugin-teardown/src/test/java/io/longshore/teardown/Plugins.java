package io.longshore.teardown;

import io.longshore.kit.run.Launcher;
import io.longshore.kit.run.ShutdownHooks;
import io.longshore.kit.wait.Deadline;
import io.longshore.testenv.TestEnv;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Runs the teardown plugin in this JVM (through the real launcher) or as a separate process. */
final class Plugins {
    private Plugins() {}

    record Ran(int exitCode, String output) {}

    static Ran inJvm(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        Map<String, String> env = new HashMap<>(TestEnv.require());
        env.keySet().removeIf(k -> k.startsWith("PLUGIN_"));
        int code = new Launcher(env, ps, ps, new ShutdownHooks(m -> {})).execute(new TeardownCommand(), args);
        return new Ran(code, out.toString(StandardCharsets.UTF_8));
    }

    /** {@code target/plugin-teardown.jar} run with this JVM's java; stdout and stderr collected line by line. */
    static final class Proc implements AutoCloseable {
        final Process process;
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        private final Thread reader;

        Proc(String... args) throws IOException {
            Path jar = Path.of("target/plugin-teardown.jar");
            if (!Files.exists(jar)) {
                throw new AssertionError(jar.toAbsolutePath() + " is missing: integration tests run after package");
            }
            String java = ProcessHandle.current().info().command().orElse("java");
            List<String> cmd = new ArrayList<>(List.of(java, "-jar", jar.toString()));
            cmd.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().keySet().removeIf(k -> k.startsWith("PLUGIN_"));
            pb.environment().putAll(TestEnv.require());
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

        void awaitLine(Predicate<String> p, Duration timeout) throws InterruptedException {
            boolean seen = Deadline.in(timeout).await(() -> {
                synchronized (lines) {
                    return lines.stream().anyMatch(p);
                }
            }, io.longshore.kit.wait.Pace.every(Duration.ofMillis(50)));
            if (!seen) {
                throw new AssertionError("the plugin did not print the expected line within " + timeout + "; it printed:\n" + output());
            }
        }

        int awaitExit(Duration timeout) throws InterruptedException {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the plugin did not exit within " + timeout + "; it printed:\n" + output());
            }
            reader.join(5_000); // the rest of the output
            return process.exitValue();
        }

        /** SIGTERM, as a cancelled pipeline sends it. (Process.destroy() would also close our end of its output.) */
        void sigterm() {
            process.toHandle().destroy();
        }

        String output() {
            synchronized (lines) {
                return String.join("\n", lines);
            }
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }
}
