package io.longshore.teardown;

import com.fasterxml.jackson.databind.JsonNode;
import io.longshore.kit.engine.Engine;
import io.longshore.kit.engine.EngineApiException;
import io.longshore.kit.stack.RunFinder;
import io.longshore.kit.stack.RunLabels;
import io.longshore.kit.stack.RunObject;
import io.longshore.kit.wait.Deadline;
import io.longshore.testenv.TestEnv;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Builds a run on the private engine the way deploy (and a recipe's external secrets) leave one:
 * labelled services on an overlay network, a labelled secret, an unlabelled {@code <stack>_x_v1}
 * secret, a config, and a volume mounted by a running task. Only ever touches its own names.
 */
final class RunFixture {
    static final String FAST_STOP = "trap 'exit 0' TERM; sleep 600 & wait";

    final Engine engine;
    final String stack;
    final Instant expires;
    final List<String> services = new ArrayList<>();

    private RunFixture(Engine engine, String stack, Instant expires) {
        this.engine = engine;
        this.stack = stack;
        this.expires = expires;
    }

    static String uniqueStack(String prefix) {
        byte[] b = new byte[3];
        ThreadLocalRandom.current().nextBytes(b);
        return prefix + "-" + HexFormat.of().formatHex(b);
    }

    static RunFixture empty(Engine engine, String stack, Instant expires) {
        return new RunFixture(engine, stack, expires);
    }

    /** The whole run: two services (one mounting the volume, secrets and the config), overlay network, secrets, config, volume. */
    static RunFixture realistic(Engine engine, String stack, Instant expires) {
        RunFixture f = new RunFixture(engine, stack, expires);
        String net = f.network("default");
        String secret = f.secret("db_password", true);
        String external = f.secret("x_v1", false);
        String config = f.config("app_conf");
        f.volume("data");
        f.service("web", List.of("sh", "-c", FAST_STOP), Duration.ofSeconds(10), net, "data",
                Map.of(secret, stack + "_db_password", external, stack + "_x_v1"), Map.of(config, stack + "_app_conf"));
        f.service("worker", List.of("sh", "-c", FAST_STOP), Duration.ofSeconds(10), net, null, Map.of(), Map.of());
        return f;
    }

    Map<String, String> labels() {
        return RunLabels.of(stack, Instant.now(), expires, "it:" + stack);
    }

    String network(String name) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Name", stack + "_" + name);
        body.put("Driver", "overlay");
        body.put("Labels", labels());
        return engine.post("/networks/create", body).path("Id").asText();
    }

    String secret(String name, boolean labelled) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Name", stack + "_" + name);
        body.put("Labels", labelled ? labels() : Map.of());
        body.put("Data", Base64.getEncoder().encodeToString(("secret of " + stack).getBytes(StandardCharsets.UTF_8)));
        return engine.post("/secrets/create", body).path("ID").asText();
    }

    /** A secret that neither carries a label nor the run's prefix: teardown must not touch it. */
    String unrelatedSecret(String name) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Name", name);
        body.put("Data", Base64.getEncoder().encodeToString("x".getBytes(StandardCharsets.UTF_8)));
        return engine.post("/secrets/create", body).path("ID").asText();
    }

    String config(String name) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Name", stack + "_" + name);
        body.put("Labels", labels());
        body.put("Data", Base64.getEncoder().encodeToString("port=80\n".getBytes(StandardCharsets.UTF_8)));
        return engine.post("/configs/create", body).path("ID").asText();
    }

    String volume(String name) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Name", stack + "_" + name);
        body.put("Labels", labels());
        return engine.post("/volumes/create", body).path("Name").asText();
    }

    /** A replicated service of one task; {@code grace} is how long swarm waits after SIGTERM before SIGKILL. */
    String service(String name, List<String> command, Duration grace, String networkId, String volume,
                   Map<String, String> secrets, Map<String, String> configs) {
        return service(name, command, grace, networkId, volume, secrets, configs, Map.of("Replicated", Map.of("Replicas", 1)), List.of());
    }

    /** A service in {@code mode} (a global one: {@code Map.of("Global", Map.of())}), placed by {@code constraints}. */
    String service(String name, List<String> command, Duration grace, String networkId, String volume,
                   Map<String, String> secrets, Map<String, String> configs, Map<String, Object> mode, List<String> constraints) {
        Map<String, Object> container = new LinkedHashMap<>();
        container.put("Image", TestEnv.testImage());
        container.put("Command", command);
        container.put("Labels", Map.of(RunLabels.STACK_NAMESPACE, stack));
        container.put("StopGracePeriod", grace.toNanos());
        if (volume != null) {
            container.put("Mounts", List.of(Map.of("Type", "volume", "Source", stack + "_" + volume, "Target", "/data")));
        }
        List<Object> s = new ArrayList<>();
        secrets.forEach((id, n) -> s.add(Map.of("SecretID", id, "SecretName", n,
                "File", Map.of("Name", n, "UID", "0", "GID", "0", "Mode", 292))));
        container.put("Secrets", s);
        List<Object> c = new ArrayList<>();
        configs.forEach((id, n) -> c.add(Map.of("ConfigID", id, "ConfigName", n,
                "File", Map.of("Name", "/" + n, "UID", "0", "GID", "0", "Mode", 292))));
        container.put("Configs", c);
        Map<String, Object> task = new LinkedHashMap<>();
        task.put("ContainerSpec", container);
        if (networkId != null) {
            task.put("Networks", List.of(Map.of("Target", networkId)));
        }
        if (!constraints.isEmpty()) {
            task.put("Placement", Map.of("Constraints", constraints));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Name", stack + "_" + name);
        body.put("Labels", labels());
        body.put("TaskTemplate", task);
        body.put("Mode", mode);
        String id = engine.post("/services/create", body).path("ID").asText();
        services.add(id);
        return id;
    }

    /** A plain container (not the run's: no label, no prefix) that mounts the run's volume and removes itself on exit. */
    String volumeHolder(String volume, int seconds) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Image", TestEnv.testImage());
        body.put("Cmd", List.of("sleep", String.valueOf(seconds)));
        body.put("HostConfig", Map.of("AutoRemove", true,
                "Mounts", List.of(Map.of("Type", "volume", "Source", stack + "_" + volume, "Target", "/data"))));
        String name = stack + "-holder";
        String id = engine.post("/containers/create?name=" + name, body).path("Id").asText();
        engine.post("/containers/" + id + "/start", null);
        return id;
    }

    /** Waits until every service's task is running (and so its container mounts the volume). */
    RunFixture awaitRunning() throws InterruptedException {
        boolean up = Deadline.in(Duration.ofSeconds(60)).await(() -> {
            for (String id : services) {
                String filter = URLEncoder.encode("{\"service\":[\"" + id + "\"]}", StandardCharsets.UTF_8);
                boolean running = false;
                for (JsonNode t : engine.get("/tasks?filters=" + filter)) {
                    running |= "running".equals(t.path("Status").path("State").asText());
                }
                if (!running) {
                    return false;
                }
            }
            return true;
        });
        if (!up) {
            throw new AssertionError("the services of " + stack + " did not start within 60s");
        }
        return this;
    }

    /** The ids of every object of the run on the engine now (by label or prefix). */
    Set<String> objectIds() {
        Set<String> ids = new TreeSet<>();
        new RunFinder(engine).find(stack).objects().forEach(o -> ids.add(o.kind() + ":" + o.id()));
        return ids;
    }

    List<RunObject> objects() {
        return new RunFinder(engine).find(stack).objects();
    }

    static void quietly(Runnable r) {
        try {
            r.run();
        } catch (EngineApiException e) {
            // already gone
        }
    }
}
