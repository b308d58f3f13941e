package io.longshore.teardown;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.longshore.kit.engine.Engine;
import io.longshore.kit.output.Events;
import io.longshore.kit.output.Report;
import io.longshore.kit.stack.RunFinder;
import io.longshore.kit.stack.RunSummary;
import io.longshore.kit.stack.Teardown;
import io.longshore.testenv.TestEnv;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The janitor reaps every expired run on the engine, and this engine is shared: runs of other
 * people's tests that exist when the sweep starts are protected by name, and assertions only
 * look at the runs created here.
 */
class JanitorIT {
    Engine engine;
    final List<String> stacks = new ArrayList<>();

    @BeforeEach
    void connect() {
        engine = Engine.connect(TestEnv.require()).ping();
    }

    @AfterEach
    void removeWhatThisTestCreated() throws InterruptedException {
        Teardown teardown = Teardown.on(engine, Events.none());
        for (String s : stacks) {
            teardown.run(s, Duration.ofSeconds(60));
        }
        engine.close();
    }

    RunFixture run(String prefix, Instant expires) {
        RunFixture f = RunFixture.empty(engine, RunFixture.uniqueStack(prefix), expires);
        stacks.add(f.stack);
        String secret = f.secret("token", true);
        f.secret("x_v1", false);
        f.volume("data");
        f.service("app", List.of("sh", "-c", RunFixture.FAST_STOP), Duration.ofSeconds(10), null, "data",
                Map.of(secret, f.stack + "_token"), Map.of());
        return f;
    }

    @Test
    void reapsOnlyTheExpiredRunsThatAreNotProtectedAndReportsWhatItKeptAndWhy(@TempDir Path dir) throws Exception {
        Instant now = Instant.now();
        RunFixture longExpired = run("jan", now.minus(Duration.ofHours(3)));
        RunFixture justExpired = run("jan", now.minus(Duration.ofSeconds(5)));
        RunFixture notYet = run("jan", now.plus(Duration.ofHours(1)));
        RunFixture isProtected = run("keep", now.minus(Duration.ofHours(3)));
        for (RunFixture f : List.of(longExpired, justExpired, notYet, isProtected)) {
            f.awaitRunning();
        }
        Set<String> notYetBefore = notYet.objectIds();
        Set<String> protectedBefore = isProtected.objectIds();
        List<String> protect = new ArrayList<>(List.of("keep-*"));
        for (RunSummary other : new RunFinder(engine).runs()) {
            if (!stacks.contains(other.stack())) {
                protect.add(other.stack()); // someone else's run on the shared engine: not ours to reap
            }
        }

        Set<String> longExpiredBefore = longExpired.objectIds();

        Plugins.Ran dry = Plugins.inJvm("--janitor", "--dry-run", "--protect", String.join(",", protect));
        assertEquals(0, dry.exitCode(), dry.output());
        assertTrue(dry.output().contains("would reap " + longExpired.stack + ": expired "), dry.output());
        assertTrue(dry.output().contains("keep " + isProtected.stack + ": protected by keep-*"), dry.output());
        assertEquals(longExpiredBefore, longExpired.objectIds(), "a dry run changes nothing");

        Path report = dir.resolve("report.json");
        Plugins.Ran ran = Plugins.inJvm("--janitor", "--protect", String.join(",", protect), "--report", report.toString());

        assertEquals(0, ran.exitCode(), ran.output());
        assertEquals(List.of(), longExpired.objects());
        assertEquals(List.of(), justExpired.objects());
        assertEquals(notYetBefore, notYet.objectIds());
        assertEquals(protectedBefore, isProtected.objectIds());

        JsonNode details = Report.json().readTree(report.toFile()).path("details");
        Map<String, String> reaped = reasons(details.path("reaped"));
        Map<String, String> kept = reasons(details.path("kept"));
        assertTrue(reaped.get(longExpired.stack).startsWith("expired "), reaped.toString());
        assertTrue(reaped.get(justExpired.stack).startsWith("expired "), reaped.toString());
        assertTrue(kept.get(notYet.stack).startsWith("expires "), kept.toString());
        assertEquals("protected by keep-*", kept.get(isProtected.stack));
    }

    private static Map<String, String> reasons(JsonNode array) {
        Map<String, String> m = new TreeMap<>();
        array.forEach(n -> m.put(n.path("stack").asText(), n.path("reason").asText()));
        return m;
    }
}
