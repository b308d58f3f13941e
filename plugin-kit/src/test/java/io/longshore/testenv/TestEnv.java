package io.longshore.testenv;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * The private engine and registries that {@code scripts/test-env start} runs, as the exports of
 * {@code scripts/test-env env} describe them. Integration tests call {@link #require()}: outside
 * CI a missing environment skips them; with {@code CI=true} it fails them, never a skip.
 */
public final class TestEnv {
    private TestEnv() {}

    public static Map<String, String> require() {
        Map<String, String> env = System.getenv();
        if (!"1".equals(env.get("LONGSHORE_TEST_ENV")) || blank(env.get("DOCKER_HOST"))) {
            String why = "the private engine and registries are not set up: run `eval \"$(scripts/test-env env)\"` "
                    + "after `scripts/test-env start` (scripts/test does both)";
            if ("true".equalsIgnoreCase(env.get("CI"))) {
                fail(why);
            }
            Assumptions.abort(why);
        }
        return env;
    }

    public static String get(String name) {
        String v = require().get(name);
        if (blank(v)) {
            fail(name + " is not set by scripts/test-env env");
        }
        return v;
    }

    public static String dockerHost() {
        return get("DOCKER_HOST");
    }

    public static String testImage() {
        return get("LONGSHORE_TEST_IMAGE");
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
