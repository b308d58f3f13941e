package io.longshore.teardown;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.longshore.kit.ci.CiContext;
import io.longshore.kit.engine.Engine;
import io.longshore.kit.lock.HostLock;
import io.longshore.kit.output.Events;
import io.longshore.kit.output.Masker;
import io.longshore.kit.run.Job;
import io.longshore.kit.run.Launcher;
import io.longshore.kit.run.ShutdownHooks;
import io.longshore.kit.stack.Teardown;
import io.longshore.kit.stack.TeardownResult;
import io.longshore.testenv.EngineRestart;
import io.longshore.testenv.TestEnv;
import io.longshore.testenv.WatchedOutput;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The private engine restarted (dockerd stopped and started, its swarm coming back) in the middle of
 * a teardown, at the step each test names: the teardown waits for it, resumes, and ends verified
 * clean, removing nothing the plan did not name; the console hears of the outage once each way.
 * Restarting disturbs every user of the engine: run under the engine lock, and each test leaves
 * the environment healthy.
 */
class TeardownRestartIT {
    static final Instant FAR = Instant.now().plus(Duration.ofDays(1));

    Engine engine;
    final List<String> stacks = new ArrayList<>();
    final List<Runnable> cleanups = new ArrayList<>();

    @BeforeEach
    void connect() {
        engine = Engine.connect(TestEnv.require()).ping();
    }

    @AfterEach
    void removeWhatThisTestCreated() throws InterruptedException {
        try {
            EngineRestart.ensureHealthy();
            cleanups.forEach(RunFixture::quietly);
            Teardown teardown = Teardown.on(engine, Events.none());
            for (String s : stacks) {
                teardown.run(s, Duration.ofSeconds(60));
            }
        } finally {
            engine.close();
        }
    }

    String stack() {
        String s = RunFixture.uniqueStack("td-rs");
        stacks.add(s);
        return s;
    }

    @Test
    void anEngineRestartWhileTheTeardownWaitsForTasksIsWaitedForAndTheRunEndsVerifiedCleanWithItsLockReleased() throws Exception {
        RunFixture run = RunFixture.realistic(engine, stack(), FAR).awaitRunning();
        String bystander = run.unrelatedSecret(run.stack + "-bystander");
        cleanups.add(() -> engine.delete("/secrets/" + bystander));
        RunFixture beside = RunFixture.empty(engine, stack(), FAR);
        beside.volume("keep");
        String lock = RunFixture.uniqueStack("td-rs-lock");
        cleanups.add(() -> engine.delete("/configs/" + HostLock.objectName(lock)));
        AtomicReference<EngineRestart> restart = new AtomicReference<>();
        WatchedOutput out = new WatchedOutput().once(l -> l.startsWith("==> wait for tasks and containers to go"),
                () -> restart.set(EngineRestart.begin()));
        Map<String, String> env = new HashMap<>(TestEnv.require());
        env.keySet().removeIf(k -> k.startsWith("PLUGIN_"));

        int code = new Launcher(env, out.stream(), out.stream(), new ShutdownHooks(m -> {})).execute(new TeardownCommand(),
                new String[] {"--stack", run.stack, "--lock", lock, "--timeout", "90s"});

        String output = out.text();
        assertTrue(restart.get() != null, "the engine was restarted during the wait for tasks:\n" + output);
        restart.get().awaitBack(Duration.ofSeconds(90));
        assertEquals(0, code, output);
        assertTrue(output.contains("teardown: ok (exit 0, "), output);
        assertTrue(output.contains("run " + run.stack + " removed ("), output);
        assertEquals(1, count(output, "went away ("), output);
        assertEquals(1, count(output, "is back after "), output);
        assertTrue(output.contains("released lock " + lock), output);
        assertEquals(List.of(), run.objects(), "nothing of the run is left");
        assertEquals(1, beside.objects().size(), "the other run's volume is untouched");
        engine.get("/secrets/" + bystander); // and so is the secret that belongs to no run
        assertTrue(HostLock.on(engine).current(lock).isEmpty(), "the lock went with the run, once");
    }

    @Test
    void anEngineRestartWhileTheTeardownRemovesSecretsAndConfigsIsWaitedForAndTheRunEndsVerifiedClean() throws Exception {
        RunFixture run = RunFixture.realistic(engine, stack(), FAR).awaitRunning();
        String bystander = run.unrelatedSecret(run.stack + "-bystander");
        cleanups.add(() -> engine.delete("/secrets/" + bystander));
        List<String> said = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<EngineRestart> restart = new AtomicReference<>();
        Events events = new Events() {
            public void step(String name) {
                said.add("==> " + name);
                if (name.startsWith("remove secrets and configs") && restart.get() == null) {
                    restart.set(EngineRestart.begin());
                }
            }

            public void progress(String message) {
                said.add(message);
            }

            public void warn(String message) {
                said.add("warning: " + message);
            }
        };
        Map<String, String> env = TestEnv.require();
        Job job = new Job("teardown", "it", env, CiContext.from(env), events, new Masker(), new ShutdownHooks(m -> {}), Instant.now());

        TeardownResult r;
        try (Engine tolerant = Engine.connect(job).ping()) {
            r = Teardown.on(tolerant, events).run(run.stack, Duration.ofSeconds(90));
        }

        restart.get().awaitBack(Duration.ofSeconds(90));
        String output = String.join("\n", said);
        assertTrue(r.clean(), r.summary() + "\n" + output);
        assertEquals(1, count(output, "went away ("), output);
        assertEquals(1, count(output, "is back after "), output);
        assertEquals(List.of(), run.objects());
        engine.get("/secrets/" + bystander);
    }

    @Test
    void anEngineStillAwayAtTheDeadlineEndsInExitOneListingWhatIsLeftAndWhoReapsIt() throws Exception {
        RunFixture run = RunFixture.realistic(engine, stack(), FAR).awaitRunning();
        AtomicReference<EngineRestart> restart = new AtomicReference<>();
        WatchedOutput out = new WatchedOutput().once(l -> l.startsWith("==> remove secrets and configs"),
                () -> restart.set(EngineRestart.begin(12))); // down longer than the teardown has left
        Map<String, String> env = new HashMap<>(TestEnv.require());
        env.keySet().removeIf(k -> k.startsWith("PLUGIN_"));

        int code = new Launcher(env, out.stream(), out.stream(), new ShutdownHooks(m -> {})).execute(new TeardownCommand(),
                new String[] {"--stack", run.stack, "--timeout", "8s"});

        restart.get().awaitBack(Duration.ofSeconds(90));
        String output = out.text();
        String last = output.lines().reduce((a, b) -> b).orElse("");
        assertEquals(1, code, output);
        assertTrue(last.contains("run " + run.stack + " left "), last);
        assertTrue(last.contains("secret " + run.stack + "_db_password: not removed: the engine was away until the deadline"), last);
        assertTrue(last.contains("volume " + run.stack + "_data: "), last);
        assertTrue(last.endsWith("; the janitor reaps it after " + FAR.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)), last);
        assertEquals(1, count(output, "went away ("), output);
    }

    static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
