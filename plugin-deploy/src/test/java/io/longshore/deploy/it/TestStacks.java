package io.longshore.deploy.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.longshore.kit.engine.Engine;
import io.longshore.kit.output.Events;
import io.longshore.kit.stack.Teardown;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * What deploy's integration tests share: unique run names, free ports, the list of a run's objects
 * left on the engine, and a last-resort cleanup so a failing test does not leave its run behind.
 */
public final class TestStacks {
    private static final SecureRandom RANDOM = new SecureRandom();

    private TestStacks() {}

    /** {@code lsdt-<6 hex>}: unique per test, recognisable as deploy's tests. */
    public static String uniqueStack() {
        byte[] b = new byte[3];
        RANDOM.nextBytes(b);
        return "lsdt-" + HexFormat.of().formatHex(b);
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every service, network, secret, config, volume and container of the run, by label or by name prefix. */
    public static List<String> leftovers(Engine engine, String stack) {
        List<String> out = new ArrayList<>();
        List<String> labelled = List.of(filter("label", "com.docker.stack.namespace=" + stack), filter("label", "io.longshore.run=" + stack));
        String byName = filter("name", stack + "_");
        for (String kind : List.of("services", "networks", "secrets", "configs", "volumes")) {
            List<String> filters = new ArrayList<>(labelled);
            filters.add(byName);
            for (String f : filters) {
                JsonNode list = engine.get("/" + kind + "?filters=" + f);
                for (JsonNode o : kind.equals("volumes") ? list.path("Volumes") : list) {
                    String name = kind.equals("networks") || kind.equals("volumes") ? o.path("Name").asText() : o.path("Spec").path("Name").asText();
                    String entry = kind + " " + name;
                    if ((!f.equals(byName) || name.startsWith(stack + "_")) && !out.contains(entry)) {
                        out.add(entry);
                    }
                }
            }
        }
        for (JsonNode c : engine.get("/containers/json?all=1&filters=" + labelled.getFirst())) {
            out.add("containers " + c.path("Id").asText().substring(0, 12));
        }
        return out;
    }

    /** Removes what a test's run left, with the kit's teardown (the run's labels and its name prefix). */
    public static void removeAll(Engine engine, String stack) {
        try {
            Teardown.on(engine, Events.none()).run(stack, Duration.ofMinutes(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits (bounded) until every task of the run's job services has completed, so a teardown finds them done. */
    public static void awaitJobs(Engine engine, String stack) {
        List<String> jobs = new ArrayList<>();
        for (JsonNode s : engine.get("/services?filters=" + filter("label", "com.docker.stack.namespace=" + stack))) {
            JsonNode mode = s.path("Spec").path("Mode");
            if (mode.has("ReplicatedJob") || mode.has("GlobalJob")) {
                jobs.add(s.path("ID").asText());
            }
        }
        for (String id : jobs) {
            waitUntil(Duration.ofSeconds(30), () -> {
                for (JsonNode t : engine.get("/tasks?filters=" + filter("service", id))) {
                    if (!t.path("Status").path("State").asText().equals("complete")) {
                        return false;
                    }
                }
                return true;
            });
        }
    }

    public static boolean waitUntil(Duration timeout, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (condition.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return condition.getAsBoolean();
    }

    static String filter(String key, String value) {
        return URLEncoder.encode("{\"" + key + "\":[\"" + value + "\"]}", StandardCharsets.UTF_8);
    }
}
