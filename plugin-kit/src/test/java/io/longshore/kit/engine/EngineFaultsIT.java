package io.longshore.kit.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.longshore.kit.ci.CiContext;
import io.longshore.kit.lock.HostLock;
import io.longshore.kit.lock.LockTimeoutException;
import io.longshore.kit.output.Events;
import io.longshore.kit.output.Masker;
import io.longshore.kit.run.Job;
import io.longshore.kit.run.ShutdownHooks;
import io.longshore.kit.stack.RunLabels;
import io.longshore.kit.stack.Teardown;
import io.longshore.kit.stack.TeardownResult;
import io.longshore.testenv.EngineFaultProxy;
import io.longshore.testenv.EngineFaultProxy.Hold;
import io.longshore.testenv.EngineFaultProxy.LoseAnswer;
import io.longshore.testenv.EngineFaultProxy.Pass;
import io.longshore.testenv.EngineFaultProxy.Reset;
import io.longshore.testenv.EngineFaultProxy.Stall;
import io.longshore.testenv.TestEnv;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lost-answer cases without a restart: a fault proxy in front of the private engine's socket
 * lets the engine act and drops its answer, resets connections and stalls calls. Nothing is made
 * twice, a remove of the gone counts as done, the lock is held once, and the console hears of an
 * outage once each way.
 */
class EngineFaultsIT {
    @TempDir
    Path dir;

    EngineFaultProxy proxy;
    Engine direct;
    Engine engine;
    final List<String> said = Collections.synchronizedList(new ArrayList<>());
    final String run = "it-faults-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);

    @BeforeEach
    void connect() throws Exception {
        direct = Engine.connect(TestEnv.require()).ping();
        proxy = new EngineFaultProxy(dir, EngineFaultProxy.PASS);
        Map<String, String> env = new HashMap<>(TestEnv.require());
        env.put("DOCKER_HOST", proxy.dockerHost());
        Events events = new Events() {
            public void step(String name) {}

            public void progress(String message) {
                said.add(message);
            }

            public void warn(String message) {
                said.add("warning: " + message);
            }
        };
        Job job = new Job("it", "dev", env, CiContext.from(env), events, new Masker(), new ShutdownHooks(m -> {}), Instant.now());
        engine = Engine.connect(job).ping();
    }

    @AfterEach
    void cleanUp() throws Exception {
        proxy.policy(EngineFaultProxy.PASS);
        Teardown.on(direct, Events.none()).run(run, Duration.ofSeconds(60));
        try {
            direct.delete("/configs/" + HostLock.objectName(run));
        } catch (EngineApiException e) {
            // not there
        }
        engine.close();
        proxy.close();
        direct.close();
    }

    /** The first request matching method and route has its answer dropped after the engine acted. */
    EngineFaultProxy.Policy loseFirst(String method, String route) {
        AtomicInteger n = new AtomicInteger();
        return r -> r.is(method, route) && n.incrementAndGet() == 1 ? new LoseAnswer() : new Pass();
    }

    Map<String, Object> labelled(String name) {
        Map<String, Object> spec = new HashMap<>();
        spec.put("Name", name);
        spec.put("Labels", RunLabels.of(run, Instant.now(), Instant.now().plus(Duration.ofHours(1)), null));
        return spec;
    }

    List<JsonNode> named(String kind, String name) {
        List<JsonNode> out = new ArrayList<>();
        String filter = URLEncoder.encode("{\"name\":[\"" + name + "\"]}", StandardCharsets.UTF_8);
        for (JsonNode n : direct.get("/" + kind + "?filters=" + filter)) {
            String actual = kind.equals("networks") ? n.path("Name").asText() : n.path("Spec").path("Name").asText();
            if (actual.equals(name)) {
                out.add(n);
            }
        }
        return out;
    }

    @Test
    void aSecretCreateWhoseAnswerIsLostIsMadeOnceAndItsIdStillReturned() {
        proxy.policy(loseFirst("POST", "/secrets/create"));
        Map<String, Object> spec = labelled(run + "_db_v1");
        spec.put("Data", "c2VjcmV0");

        String id = engine.post("/secrets/create", spec).path("ID").asText();

        List<JsonNode> secrets = named("secrets", run + "_db_v1");
        assertEquals(1, secrets.size(), secrets.toString());
        assertEquals(secrets.getFirst().path("ID").asText(), id);
        assertEquals(1, proxy.count("POST", "/secrets/create"), "settled by looking, not sent twice: " + proxy.seen());
    }

    @Test
    void aNetworkCreateWhoseAnswerIsLostIsNotMadeTwiceThoughNetworkNamesNeedNotBeUnique() {
        proxy.policy(loseFirst("POST", "/networks/create"));
        Map<String, Object> spec = labelled(run + "_backend");
        spec.put("Driver", "overlay");

        String id = engine.post("/networks/create", spec).path("Id").asText();

        List<JsonNode> networks = named("networks", run + "_backend");
        assertEquals(1, networks.size(), networks.toString());
        assertEquals(networks.getFirst().path("Id").asText(), id);
    }

    @Test
    void aServiceCreateWhoseAnswerIsLostIsMadeOnce() {
        proxy.policy(loseFirst("POST", "/services/create"));
        Map<String, Object> spec = labelled(run + "_web");
        spec.put("TaskTemplate", Map.of("ContainerSpec", Map.of("Image", TestEnv.testImage(), "Command", List.of("sleep", "60"))));

        String id = engine.post("/services/create", spec).path("ID").asText();

        List<JsonNode> services = named("services", run + "_web");
        assertEquals(1, services.size());
        assertEquals(services.getFirst().path("ID").asText(), id);
    }

    @Test
    void aTeardownWhoseRemovesLoseTheirAnswersEndsVerifiedClean() throws Exception {
        Map<String, Object> secret = labelled(run + "_a");
        secret.put("Data", "YQ==");
        direct.post("/secrets/create", secret);
        Map<String, Object> config = labelled(run + "_b");
        config.put("Data", "Yg==");
        direct.post("/configs/create", config);
        direct.post("/networks/create", labelled(run + "_net"));
        direct.post("/volumes/create", labelled(run + "_data"));
        proxy.policy(r -> r.method().equals("DELETE") && proxy.count("DELETE", r.route()) == 1 ? new LoseAnswer() : new Pass());

        TeardownResult r = Teardown.on(engine, Events.none()).run(run, Duration.ofSeconds(60));

        assertTrue(r.clean(), r.summary());
        assertEquals(4, proxy.faulted().size(), "every first remove lost its answer: " + proxy.faulted());
        assertEquals(4, r.plan().objects().size());
    }

    @Test
    void aRemoveTheEngineNeverAnswersEndsTheTeardownAtItsDeadlineWithTheObjectListedAndWhy() throws Exception {
        Map<String, Object> secret = labelled(run + "_a");
        secret.put("Data", "YQ==");
        direct.post("/secrets/create", secret);
        proxy.policy(r -> r.startsWith("DELETE", "/secrets/") ? new Hold() : new Pass());
        long t0 = System.nanoTime();

        TeardownResult r = Teardown.on(engine, Events.none()).run(run, Duration.ofSeconds(3));

        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertTrue(proxy.awaitHeld(Duration.ZERO), "the remove was held, not answered");
        assertTrue(took.compareTo(Duration.ofSeconds(12)) < 0, "bounded by the deadline (and a last look): " + took);
        assertEquals(1, r.residue().size(), r.summary());
        assertEquals("secret " + run + "_a: not removed: the engine did not answer its removal before the deadline",
                r.residue().getFirst().toString());
        assertTrue(r.summary().contains("; the janitor reaps it after "), r.summary());
        assertEquals(1, named("secrets", run + "_a").size(), "still there: nothing was removed behind the teardown's back");
    }

    @Test
    void aLockWhoseCreateAnswerIsLostIsHeldOnceByItsTakerAndNotByTheNext() throws Exception {
        proxy.policy(loseFirst("POST", "/configs/create"));
        ShutdownHooks hooks = new ShutdownHooks(m -> {});

        try (HostLock.Held held = HostLock.on(engine).acquire(run, "the first taker", Duration.ofHours(1), Duration.ofSeconds(5),
                Events.none(), hooks)) {
            assertTrue(held.held());
            assertEquals(1, named("configs", HostLock.objectName(run)).size());
            assertEquals("the first taker", HostLock.on(direct).current(run).orElseThrow().holder());
            LockTimeoutException e = assertThrows(LockTimeoutException.class, () -> HostLock.on(direct)
                    .acquire(run, "the second taker", Duration.ofHours(1), Duration.ofSeconds(1), Events.none(), hooks));
            assertTrue(e.getMessage().contains("held by the first taker"), e.getMessage());
        }
        assertTrue(HostLock.on(direct).current(run).isEmpty(), "released");
    }

    @Test
    void aStalledCallIsWaitedForAndNotMistakenForAnOutage() {
        proxy.policy(r -> r.is("GET", "/info") ? new Stall(Duration.ofSeconds(2)) : new Pass());

        assertTrue(engine.get("/info").path("ID").asText().length() > 0);

        assertEquals(1, proxy.count("GET", "/info"));
        assertTrue(said.isEmpty(), said.toString());
    }

    @Test
    void connectionsResetOnReadsAreRetriedAndTheConsoleHearsOnceEachWay() {
        AtomicInteger n = new AtomicInteger();
        proxy.policy(r -> r.is("GET", "/containers/json") && n.incrementAndGet() <= 5 ? new Reset() : new Pass());

        assertTrue(engine.get("/containers/json?all=1").isArray());

        assertEquals(6, proxy.count("GET", "/containers/json"));
        assertEquals(2, said.size(), said.toString());
        assertTrue(said.get(0).startsWith("warning: the Docker engine at " + proxy.dockerHost() + " went away ("), said.toString());
        assertTrue(said.get(1).startsWith("the Docker engine at " + proxy.dockerHost() + " is back after "), said.toString());
    }
}
