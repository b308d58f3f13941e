package io.longshore.teardown;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.longshore.kit.engine.Engine;
import io.longshore.kit.lock.ConfigLockStore;
import io.longshore.kit.lock.HostLock;
import io.longshore.kit.output.Events;
import io.longshore.kit.run.ShutdownHooks;
import io.longshore.kit.stack.RunLabels;
import io.longshore.kit.stack.Teardown;
import io.longshore.testenv.TestEnv;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real plugin as a process: SIGTERM, the exit hooks and the host lock between processes. */
class SignalIT {
    /** {@code sleep} as PID 1 ignores SIGTERM: swarm stops it only after the grace period. */
    static final Duration SLOW_STOP = Duration.ofSeconds(4);

    Engine engine;
    String lock;
    final List<String> stacks = new ArrayList<>();

    @BeforeEach
    void connect() {
        engine = Engine.connect(TestEnv.require()).ping();
        lock = RunFixture.uniqueStack("it-lock");
    }

    @AfterEach
    void removeWhatThisTestCreated() throws InterruptedException {
        RunFixture.quietly(() -> engine.delete("/configs/" + HostLock.objectName(lock)));
        Teardown teardown = Teardown.on(engine, Events.none());
        for (String s : stacks) {
            teardown.run(s, Duration.ofSeconds(60));
        }
        engine.close();
    }

    RunFixture slowRun() throws InterruptedException {
        RunFixture f = RunFixture.empty(engine, RunFixture.uniqueStack("td-sig"), Instant.now().plus(Duration.ofDays(1)));
        stacks.add(f.stack);
        f.volume("data");
        f.service("slow", List.of("sleep", "600"), SLOW_STOP, null, "data", Map.of(), Map.of());
        return f.awaitRunning();
    }

    @Test
    void sigtermDuringATeardownLetsItFinishAndThenReleasesTheLock() throws Exception {
        RunFixture run = slowRun();
        try (Plugins.Proc p = new Plugins.Proc("--stack", run.stack, "--lock", lock, "--timeout", "60s")) {
            p.awaitLine(l -> l.startsWith("==> wait for tasks and containers to go"), Duration.ofSeconds(30));
            assertTrue(HostLock.on(engine).current(lock).isPresent(), "the teardown holds the lock");

            p.sigterm();
            int code = p.awaitExit(Duration.ofSeconds(60));

            String out = p.output();
            assertEquals(1, code, out); // SIGTERM let the teardown finish, and the run says it was cancelled: not ok
            assertTrue(out.contains("on exit: tear down run " + run.stack), out);
            assertTrue(out.contains("nothing of run " + run.stack + " is left"), out);
            assertTrue(out.contains("released lock " + lock), out);
            assertTrue(out.matches("(?s).*teardown: cancelled \\(exit 1, [0-9.]+s\\): cancelled \\(SIGTERM\\) during wait for tasks "
                    + "and containers to go \\(" + run.stack + "\\); " + run.stack + " torn down and verified clean.*"),
                    "the summary line says so: " + out);
        }
        assertEquals(List.of(), run.objects(), "the interrupted teardown finished");
        assertTrue(HostLock.on(engine).current(lock).isEmpty(), "SIGTERM released the lock");
    }

    @Test
    void twoPluginProcessesContendTheSecondWaitsAndTakesTheLockAfterRelease() throws Exception {
        RunFixture run = slowRun();
        try (Plugins.Proc first = new Plugins.Proc("--stack", run.stack, "--lock", lock)) {
            first.awaitLine(l -> l.contains("took lock " + lock), Duration.ofSeconds(30));
            try (Plugins.Proc second = new Plugins.Proc("--stack", RunFixture.uniqueStack("td-gone"), "--lock", lock,
                    "--lock-timeout", "60s")) {
                second.awaitLine(l -> l.contains("waiting for lock " + lock + " held by teardown pid "), Duration.ofSeconds(30));

                assertEquals(0, first.awaitExit(Duration.ofSeconds(60)), first.output());
                assertEquals(0, second.awaitExit(Duration.ofSeconds(60)), second.output());
                assertTrue(second.output().matches("(?s).*took lock " + lock + " \\(config longshore-lock-" + lock
                        + "\\) after waiting \\d+s.*"), second.output());
            }
        }
        assertTrue(HostLock.on(engine).current(lock).isEmpty());
    }

    @Test
    void aLockStillHeldWhenTheLockTimeoutEndsExitsFourNamingTheHolder() throws Exception {
        try (HostLock.Held held = HostLock.on(engine).acquire(lock, "the deploy of repo#7", Duration.ofHours(2),
                Duration.ofSeconds(5), Events.none(), new ShutdownHooks(m -> {}));
             Plugins.Proc p = new Plugins.Proc("--stack", RunFixture.uniqueStack("td-gone"), "--lock", lock, "--lock-timeout", "2s")) {
            assertEquals(4, p.awaitExit(Duration.ofSeconds(30)), p.output());
            assertTrue(p.output().contains("teardown: locked (exit 4"), p.output());
            assertTrue(p.output().contains("held by the deploy of repo#7"), p.output());
        }
    }

    @Test
    void aStaleLockIsBrokenAndTaken() throws Exception {
        Instant past = Instant.now().minus(Duration.ofHours(3));
        new ConfigLockStore(engine).tryCreate(HostLock.objectName(lock), Map.of(RunLabels.LOCK_HOLDER, "a job that was killed",
                RunLabels.LOCK_TOKEN, "old", RunLabels.LOCK_ACQUIRED, RunLabels.rfc3339(past),
                RunLabels.LOCK_EXPIRES, RunLabels.rfc3339(past.plus(Duration.ofHours(2)))));
        try (Plugins.Proc p = new Plugins.Proc("--stack", RunFixture.uniqueStack("td-gone"), "--lock", lock, "--lock-timeout", "30s")) {
            assertEquals(0, p.awaitExit(Duration.ofSeconds(30)), p.output());
            assertTrue(p.output().contains("warning: breaking stale lock " + lock + " held by a job that was killed"), p.output());
        }
        assertTrue(HostLock.on(engine).current(lock).isEmpty());
    }
}
