package io.longshore.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.longshore.kit.lock.HostLock;
import io.longshore.kit.output.Events;
import io.longshore.kit.run.ShutdownHooks;
import io.longshore.testenv.EngineFaultProxy;
import io.longshore.testenv.EngineFaultProxy.Hold;
import io.longshore.testenv.EngineFaultProxy.Pass;
import io.longshore.testenv.PluginProcess;
import io.longshore.testenv.TestEnv;
import io.longshore.testenv.WatchedOutput;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM, as a cancelled pipeline sends it, during each step of a deploy run as a process: the
 * last line says the run was cancelled, during which step, and what became of the run (torn down
 * and verified clean, or never created), with exit 1 and outcome {@code cancelled}. The moment is
 * chosen, not timed: a fault proxy in front of the engine holds the step's first engine call until
 * the signal is sent, or the test waits for the step's own line.
 */
class DeploySignalIT extends EngineStacksTest {
    static final Path JAR = Path.of("target", "plugin-deploy.jar").toAbsolutePath();

    @TempDir
    Path dir;

    record Ended(int code, String output, String last) {}

    private Map<String, String> sample(String stack) {
        Map<String, String> m = new HashMap<>();
        m.put("PLUGIN_RECIPE", DeployIT.SAMPLE.toString());
        m.put("PLUGIN_STACK", stack);
        m.put("PLUGIN_ENV", "WEB_PORT=" + TestStacks.freePort() + ",IMAGE=" + TestEnv.testImage());
        m.put("PLUGIN_TIMEOUT", "90s");
        m.put("PLUGIN_PROTECT", "*"); // the run-start janitor leaves every other run alone
        return m;
    }

    /**
     * Runs the deploy through the proxy; when {@code hold} is given its first matching call is held
     * and SIGTERM is sent while it is, else SIGTERM follows the first line matching {@code line}.
     */
    private Ended cancel(Map<String, String> settings, Predicate<EngineFaultProxy.Request> hold, Predicate<String> line) throws Exception {
        AtomicBoolean taken = new AtomicBoolean();
        try (EngineFaultProxy proxy = new EngineFaultProxy(dir, r -> hold != null && hold.test(r) && !taken.getAndSet(true)
                ? new Hold() : new Pass())) {
            Map<String, String> env = new HashMap<>(settings);
            env.put("DOCKER_HOST", proxy.dockerHost());
            try (PluginProcess p = new PluginProcess(JAR, env)) {
                if (hold != null) {
                    assertTrue(proxy.awaitHeld(Duration.ofSeconds(60)), "the call to hold never came:\n" + p.output());
                } else {
                    p.awaitLine(line, Duration.ofSeconds(60));
                }
                p.sigterm();
                p.awaitLine(l -> l.contains("on exit: "), Duration.ofSeconds(30)); // the signal arrived: now let the held call go
                proxy.release();
                int code = p.awaitExit(Duration.ofSeconds(90));
                return new Ended(code, p.output(), p.lastLine());
            }
        }
    }

    private void assertCancelled(Ended e, String step, String aftermath, String stack) {
        assertEquals(1, e.code(), e.output());
        Pattern last = Pattern.compile("deploy: cancelled \\(exit 1, \\d+\\.\\ds\\): cancelled \\(SIGTERM\\) during "
                + Pattern.quote(step) + "; " + Pattern.quote(aftermath));
        assertTrue(last.matcher(e.last()).matches(), "last line: " + e.last() + "\n" + e.output());
        assertEquals(List.of(), TestStacks.leftovers(engine, stack), e.output());
    }

    @Test
    void duringTheRecipeStepNothingOfTheRunIsCreated() throws Exception {
        String stack = newStack();
        Ended e = cancel(sample(stack), r -> r.is("GET", "/_ping"), null);
        assertCancelled(e, "recipe", "nothing of " + stack + " was created", stack);
    }

    @Test
    void whileWaitingForTheLockNothingOfTheRunIsCreatedAndTheOtherHolderKeepsIt() throws Exception {
        String stack = newStack();
        String lock = stack + "-lock";
        Map<String, String> settings = sample(stack);
        settings.put("PLUGIN_LOCK", lock);
        try (HostLock.Held other = HostLock.on(engine).acquire(lock, "another pipeline", Duration.ofHours(1), Duration.ofSeconds(5),
                Events.none(), new ShutdownHooks(m -> {}))) {
            Ended e = cancel(settings, null, l -> l.contains("waiting for lock " + lock));
            assertCancelled(e, "lock " + lock, "nothing of " + stack + " was created", stack);
            assertEquals("another pipeline", HostLock.on(engine).current(lock).orElseThrow().holder());
        }
    }

    @Test
    void duringTheJanitorNothingOfTheRunIsCreated() throws Exception {
        String stack = newStack();
        Ended e = cancel(sample(stack), r -> r.is("GET", "/volumes"), null);
        assertCancelled(e, "janitor: find expired runs", "nothing of " + stack + " was created", stack);
    }

    @Test
    void whileCreatingTheRunsObjectsTheRunIsTornDownAndVerifiedClean() throws Exception {
        String stack = newStack();
        Ended e = cancel(sample(stack), r -> r.is("POST", "/networks/create"), null);
        assertCancelled(e, "deploy " + stack, stack + " torn down and verified clean", stack);
        assertTrue(e.output().contains("was not sent: the process is ending"), "nothing is created after SIGTERM:\n" + e.output());
    }

    @Test
    void whileConvergingTheRunIsTornDownAndVerifiedClean() throws Exception {
        String stack = newStack();
        Ended e = cancel(sample(stack), r -> r.is("GET", "/services") && r.path().contains("status=true"), null);
        assertCancelled(e, "converge", stack + " torn down and verified clean", stack);
    }

    @Test
    void duringTheHealthCheckTheAppIsNotBlamedAndTheRunIsTornDownAndVerifiedClean() throws Exception {
        String stack = newStack();
        Map<String, String> settings = sample(stack);
        settings.put("PLUGIN_HEALTH_URL", "http://127.0.0.1:" + TestStacks.freePort() + "/health"); // nothing answers there
        settings.put("PLUGIN_HEALTH_TIMEOUT", "2m");
        Ended e = cancel(settings, null, WatchedOutput.step("health"));
        assertCancelled(e, "health", stack + " torn down and verified clean", stack);
        assertTrue(!e.last().contains("unhealthy"), e.last());
    }

    @Test
    void duringTheTeardownTheTeardownFinishesAndIsVerifiedClean() throws Exception {
        String stack = newStack();
        Ended e = cancel(sample(stack), r -> r.method().equals("DELETE") && r.route().startsWith("/services/"), null);
        assertCancelled(e, "remove services (" + stack + ")", stack + " torn down and verified clean", stack);
    }
}
