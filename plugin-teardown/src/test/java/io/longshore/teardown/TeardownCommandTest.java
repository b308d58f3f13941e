package io.longshore.teardown;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.longshore.kit.run.Launcher;
import io.longshore.kit.run.ShutdownHooks;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Settings that are refused before the engine is contacted (exit 2, naming the variable). */
class TeardownCommandTest {
    final Map<String, String> env = new HashMap<>(Map.of("DOCKER_HOST", "unix:///nonexistent/docker.sock"));
    final ByteArrayOutputStream stdout = new ByteArrayOutputStream();

    int run(String... args) {
        PrintStream out = new PrintStream(stdout, true, StandardCharsets.UTF_8);
        return new Launcher(env, out, out, new ShutdownHooks(m -> {})).execute(new TeardownCommand(), args);
    }

    String output() {
        return stdout.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aStackIsRequiredUnlessTheJanitorRuns() {
        assertEquals(2, run());
        assertTrue(output().contains("PLUGIN_STACK: is required unless PLUGIN_JANITOR is true"), output());
    }

    @Test
    void aStackMatchingProtectIsNeverTouched() {
        env.put("PLUGIN_STACK", "prod-main");
        env.put("PLUGIN_PROTECT", "prod-*,stage");
        assertEquals(2, run());
        assertTrue(output().contains("'prod-main' is protected by PLUGIN_PROTECT glob 'prod-*'"), output());
    }

    @Test
    void aLockNameThatCannotNameAnEngineObjectIsRefused() {
        assertEquals(2, run("--stack", "app-1", "--lock", "ci lock"));
        assertTrue(output().contains("PLUGIN_LOCK: 'ci lock' is not a usable lock name"), output());
    }

    @Test
    void anUnreachableEngineExitsThree() {
        assertEquals(3, run("--stack", "app-1"));
        assertTrue(output().contains("cannot be reached"), output());
    }
}
