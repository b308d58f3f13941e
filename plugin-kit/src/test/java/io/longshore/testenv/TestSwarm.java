package io.longshore.testenv;

import static org.junit.jupiter.api.Assertions.fail;

import io.longshore.kit.engine.Engine;
import io.longshore.kit.engine.Filter;
import io.longshore.kit.engine.model.Node;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The private swarm with worker nodes, for multi-node integration tests: {@code scripts/test-env
 * nodes N} joins N-1 workers (each a dockerd in a network namespace of its own, with the test and
 * plugin images loaded) and {@link #close()} makes it one node again, so the single-node tests
 * beside them never get tasks on a worker. A test class starts it once for all its tests.
 */
public final class TestSwarm implements AutoCloseable {
    private final Path script;
    private final Engine manager;

    private TestSwarm(Path script, Engine manager) {
        this.script = script;
        this.manager = manager;
    }

    /** The private swarm with {@code nodes} nodes, workers started and joined as needed. */
    public static TestSwarm nodes(int nodes) {
        Map<String, String> env = TestEnv.require();
        TestSwarm s = new TestSwarm(script(), Engine.connect(env).ping());
        s.testEnv("nodes", String.valueOf(nodes));
        return s;
    }

    /** The worker nodes, as the manager lists them (labelled io.longshore.test.node=nodeK by test-env). */
    public List<Node> workers() {
        return manager.read().nodes(Filter.NONE).stream().filter(n -> n.labels().containsKey("io.longshore.test.node")).toList();
    }

    public Node worker(int k) {
        return workers().stream().filter(n -> ("node" + k).equals(n.labels().get("io.longshore.test.node"))).findFirst()
                .orElseThrow(() -> new AssertionError("worker node" + k + " is not in the swarm"));
    }

    /** A client of worker node {@code k}'s own engine (its volumes and containers). */
    public Engine engineOf(int k) {
        Map<String, String> env = new HashMap<>(TestEnv.require());
        env.put("DOCKER_HOST", "unix://" + worker(k).dockerSocket());
        return Engine.connect(env).ping();
    }

    /** Kills worker {@code k}'s dockerd: the node goes down. {@link #restart(int)} brings it back. */
    public void stop(int k) {
        testEnv("node-stop", String.valueOf(k));
    }

    /** Starts the workers again (the swarm as {@code nodes} says). */
    public void restart(int nodes) {
        testEnv("nodes", String.valueOf(nodes));
    }

    /**
     * Puts worker {@code k} under disk pressure as prune measures it: a small tmpfs filled to about
     * 90%, named as the node's Docker data root by the node label prune reads
     * ({@code io.longshore.docker-root}). Undone by {@link #close()}.
     */
    public void fillDisk(int k) throws IOException {
        Path dir = Path.of("/run/longshore-test-it-disk-node" + k);
        Files.createDirectories(dir);
        run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", dir.toString());
        pressured.add(dir);
        Files.write(dir.resolve("fill"), new byte[(int) (3.6 * 1024 * 1024)]);
        run("docker", "-H", TestEnv.dockerHost(), "node", "update", "--label-add", "io.longshore.docker-root=" + dir, worker(k).id());
    }

    private final List<Path> pressured = new java.util.ArrayList<>();

    @Override
    public void close() {
        try {
            for (Path dir : pressured) {
                run("umount", "-l", dir.toString());
            }
            testEnv("nodes", "1");
        } finally {
            manager.close();
        }
    }

    private static void run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                fail(String.join(" ", cmd) + " failed: " + out);
            }
        } catch (IOException e) {
            fail(String.join(" ", cmd) + " could not run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
        }
    }

    private void testEnv(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of(script.toString()));
        cmd.addAll(List.of(args));
        try {
            Path log = Files.createTempFile("test-env", ".log");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                fail("scripts/test-env " + String.join(" ", args) + " did not finish within 5 minutes:\n" + Files.readString(log));
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            Files.deleteIfExists(log);
            if (p.exitValue() != 0) {
                fail("scripts/test-env " + String.join(" ", args) + " exited " + p.exitValue() + ":\n" + out);
            }
        } catch (IOException e) {
            fail("scripts/test-env " + String.join(" ", args) + " could not run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
        }
    }

    private static Path script() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path s = d.resolve("scripts/test-env");
            if (Files.isExecutable(s)) {
                return s;
            }
        }
        fail("scripts/test-env not found above " + Path.of("").toAbsolutePath());
        return null;
    }
}
