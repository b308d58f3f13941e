package io.longshore.testenv;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import io.longshore.kit.wait.Deadline;
import io.longshore.kit.wait.Pace;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Restarts the private engine the way a package upgrade does ({@code scripts/test-env restart}:
 * dockerd stopped with SIGTERM, started again, its swarm back with a manager), at a point a test
 * chooses: {@link #begin()} returns once the engine no longer answers, so whatever the test does
 * next meets the outage. It disturbs every user of the engine: only inside
 * {@code flock /tmp/longshore-engine.lock}, and every test that restarts ends with
 * {@link #ensureHealthy()} in a {@code finally}.
 */
public final class EngineRestart {
    private static final Pattern FIGURES = Pattern.compile("stop_ms=(\\d+) down_ms=(\\d+)");

    /** How long the engine took to stop, and how long it was then down until its swarm manager answered. */
    public record Outage(Duration stopping, Duration down) {
        public Duration total() {
            return stopping.plus(down);
        }
    }

    private final Process process;
    private final CompletableFuture<String> output;

    private EngineRestart(Process process) {
        this.process = process;
        this.output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(output lost: " + e.getMessage() + ")";
            }
        });
    }

    /** Starts the restart and returns once the engine stops answering (bounded). */
    public static EngineRestart begin() {
        return begin(0);
    }

    /** As {@link #begin()}, staying down {@code downSeconds} before starting again. */
    public static EngineRestart begin(int downSeconds) {
        Path socket = socket();
        EngineRestart r;
        try {
            r = new EngineRestart(new ProcessBuilder(script().toString(), "restart", "--down", String.valueOf(downSeconds))
                    .redirectErrorStream(true).start());
        } catch (IOException e) {
            throw new AssertionError("cannot run scripts/test-env restart", e);
        }
        try {
            boolean down = Deadline.in(Duration.ofSeconds(30)).await(() -> !answers(socket) || !r.process.isAlive(), Pace.every(Duration.ofMillis(20)));
            if (!down || !r.process.isAlive() && answers(socket)) {
                throw new AssertionError("the engine still answers after scripts/test-env restart began: " + r.output.getNow(""));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while the engine restarts", e);
        }
        return r;
    }

    /** Waits until the engine is back with its swarm manager; the outage as the script measured it. */
    public Outage awaitBack(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("scripts/test-env restart did not finish within " + timeout);
        }
        String out = output.join();
        if (process.exitValue() != 0) {
            throw new AssertionError("scripts/test-env restart failed (exit " + process.exitValue() + "):\n" + out);
        }
        Matcher m = FIGURES.matcher(out);
        if (!m.find()) {
            throw new AssertionError("scripts/test-env restart printed no figures:\n" + out);
        }
        return new Outage(Duration.ofMillis(Long.parseLong(m.group(1))), Duration.ofMillis(Long.parseLong(m.group(2))));
    }

    /** For a {@code finally}: the environment is up and healthy again ({@code scripts/test-env status} exit 0), starting it if need be. */
    public static void ensureHealthy() {
        try {
            if (run("status") == 0) {
                return;
            }
            if (run("start") != 0 || run("status") != 0) {
                throw new AssertionError("scripts/test-env could not bring the environment back; run scripts/test-env start");
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run scripts/test-env", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while restoring the test environment", e);
        }
    }

    private static int run(String verb) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(script().toString(), verb).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    /** {@code scripts/test-env}, found upwards from the working directory (a module's or the repository's). */
    static Path script() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path s = d.resolve("scripts/test-env");
            if (Files.isExecutable(s)) {
                return s;
            }
        }
        throw new AssertionError("scripts/test-env not found above " + Path.of("").toAbsolutePath());
    }

    private static Path socket() {
        String host = TestEnv.dockerHost();
        if (!host.startsWith("unix://")) {
            throw new AssertionError("restart tests need the private engine's unix socket; DOCKER_HOST is " + host);
        }
        return Path.of(host.substring("unix://".length()));
    }

    /** One {@code GET /_ping} on a fresh connection, answered within a second. */
    static boolean answers(Path socket) {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            ch.write(ByteBuffer.wrap("GET /_ping HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            CompletableFuture<Boolean> ok = CompletableFuture.supplyAsync(() -> {
                try {
                    ByteBuffer b = ByteBuffer.allocate(64);
                    return ch.read(b) > 0 && new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200");
                } catch (IOException e) {
                    return false;
                }
            });
            return ok.get(1, TimeUnit.SECONDS);
        } catch (Exception e) {
            return false;
        }
    }

}
