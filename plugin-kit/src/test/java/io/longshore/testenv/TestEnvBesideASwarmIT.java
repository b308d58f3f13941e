package io.longshore.testenv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * scripts/test-env on a host that is itself a swarm manager (the hosts longshore is for): with
 * something listening on 2377 on every address, as a manager does, a second environment starts
 * beside the shared one, answers with its own swarm, and goes again without a trace.
 */
class TestEnvBesideASwarmIT {
    static final Path SCRIPT = Path.of("..", "scripts", "test-env").toAbsolutePath().normalize();
    static final Map<String, String> SECOND = Map.of("LONGSHORE_TEST_ENV_INSTANCE", "1");
    static final Duration START = Duration.ofMinutes(5);

    static DockerCli.Result testEnv(Map<String, String> env, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(SCRIPT.toString()));
        command.addAll(List.of(args));
        return DockerCli.process(START, env, command);
    }

    @Test
    void startsBesideAListenerOnTheSwarmPortAndStopsAgain() throws IOException {
        TestEnv.require();
        try (ServerSocket manager = listenOnEveryAddress(2377)) {
            try {
                DockerCli.Result start = testEnv(SECOND, "start");
                assertEquals(0, start.exitCode(), start.output());
                assertTrue(start.output().contains("initialising swarm on 127.0.0.2:2477"), start.output());
                assertTrue(!start.output().contains("port 7946"), "its gossip is apart from the first environment's:\n" + start.output());

                DockerCli.Result status = testEnv(SECOND, "status");
                assertEquals(0, status.exitCode(), status.output());
                assertTrue(status.output().contains("active, 127.0.0.2:2477, data path 4890"), status.output());
                assertTrue(status.output().contains("/run/longshore-test-1/docker.sock"), status.output());
                assertTrue(status.output().contains("127.0.0.1:5100"), status.output());

                DockerCli.Result swarm = DockerCli.process(Duration.ofSeconds(30), Map.of(), List.of("docker",
                        "-H", "unix:///run/longshore-test-1/docker.sock", "info", "--format", "{{.Swarm.LocalNodeState}} {{.Swarm.NodeAddr}}"));
                assertEquals("active 127.0.0.2", swarm.output().strip(), swarm.output());
            } finally {
                DockerCli.Result stop = testEnv(SECOND, "stop", "--purge");
                assertEquals(0, stop.exitCode(), stop.output());
            }
        }
        assertEquals(0, testEnv(Map.of("LONGSHORE_TEST_ENV_INSTANCE", "0"), "status").exitCode(), "the first environment is still up");
        assertTrue(!Path.of("/run/longshore-test-1").toFile().exists() && !Path.of("/var/lib/longshore-test-1").toFile().exists(),
                "the second environment left its directories");
        assertTrue(!Path.of("/sys/class/net/lshore1").toFile().exists() && !Path.of("/sys/class/net/lshore1_gw").toFile().exists(),
                "the second environment left its bridges");
    }

    /**
     * A listener on {@code 0.0.0.0:port}, as a swarm manager's; null when the port is taken already
     * (a swarm on this host, say), which holds the same condition.
     */
    static ServerSocket listenOnEveryAddress(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        try {
            s.bind(new InetSocketAddress("0.0.0.0", port));
            return s;
        } catch (BindException e) {
            s.close();
            assertTrue(new ProcessBuilder("ss", "-Hltn", "sport = :" + port).start().inputReader().readLine() != null,
                    "port " + port + " can be neither bound nor is it listened on: " + e.getMessage());
            return null;
        }
    }
}
