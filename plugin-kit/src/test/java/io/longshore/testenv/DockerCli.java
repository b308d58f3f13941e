package io.longshore.testenv;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The docker CLI, as CI runs the images: {@code docker <args>} against the engine at DOCKER_HOST
 * (inherited from the test's environment), with a deadline instead of a hope.
 */
public final class DockerCli {
    private DockerCli() {}

    /** What one command did: its exit code and stdout and stderr together, in order. */
    public record Result(int exitCode, String output) {}

    public static Result run(Duration deadline, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add("docker");
        command.addAll(args);
        return process(deadline, java.util.Map.of(), command);
    }

    /** Any command the same way (e.g. scripts/test-env), with {@code env} added to the test's environment. */
    public static Result process(Duration deadline, java.util.Map<String, String> env, List<String> command) {
        Process process;
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(env);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + command.getFirst(), e);
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = Thread.ofVirtual().start(() -> copy(process.getInputStream(), output));
        try {
            if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("`" + String.join(" ", command) + "` did not finish within " + deadline
                        + "; its output so far:\n" + text(output));
            }
            reader.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for `" + String.join(" ", command) + "`", e);
        }
        return new Result(process.exitValue(), text(output));
    }

    public static Result run(Duration deadline, String... args) {
        return run(deadline, List.of(args));
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try (in) {
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                synchronized (out) {
                    out.write(buffer, 0, n);
                }
            }
        } catch (IOException e) {
            // the process was killed at its deadline; what was read so far is reported
        }
    }

    private static String text(ByteArrayOutputStream out) {
        synchronized (out) {
            return out.toString(StandardCharsets.UTF_8);
        }
    }
}
