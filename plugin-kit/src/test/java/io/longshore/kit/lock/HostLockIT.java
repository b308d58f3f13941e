package io.longshore.kit.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.longshore.kit.engine.Engine;
import io.longshore.kit.engine.EngineApiException;
import io.longshore.kit.output.Events;
import io.longshore.kit.run.ShutdownHooks;
import io.longshore.kit.stack.RunLabels;
import io.longshore.testenv.TestEnv;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The lock against the private engine (a swarm manager): configs, and networks as on a single engine. */
class HostLockIT {
    Engine engine;
    String name;
    final ShutdownHooks hooks = new ShutdownHooks(m -> {});

    @BeforeEach
    void connect() {
        engine = Engine.connect(TestEnv.require()).ping();
        byte[] b = new byte[3];
        ThreadLocalRandom.current().nextBytes(b);
        name = "it-" + HexFormat.of().formatHex(b);
    }

    @AfterEach
    void removeOnlyOurLockObjects() {
        String object = HostLock.objectName(name);
        for (JsonNode n : engine.get("/networks")) {
            if (object.equals(n.path("Name").asText()) || NetworkLockStore.renewals(object).equals(n.path("Name").asText())) {
                quietly(() -> engine.delete("/networks/" + n.path("Id").asText()));
            }
        }
        quietly(() -> engine.delete("/configs/" + object));
        engine.close();
    }

    @Test
    void onASwarmManagerTheLockIsAConfigLabelledWithHolderAndExpiryAndReleaseRemovesIt() throws Exception {
        HostLock lock = HostLock.on(engine);
        assertEquals("config", lock.store().kind());
        try (HostLock.Held held = lock.acquire(name, "repo#42", Duration.ofHours(2), Duration.ofSeconds(5), Events.none(), hooks)) {
            JsonNode labels = engine.get("/configs/" + HostLock.objectName(name)).path("Spec").path("Labels");
            assertEquals("repo#42", labels.path(RunLabels.LOCK_HOLDER).asText());
            Instant expires = Instant.parse(labels.path(RunLabels.LOCK_EXPIRES).asText());
            assertTrue(expires.isAfter(Instant.now().plus(Duration.ofMinutes(119))));
        }
        assertTrue(HostLock.on(engine).current(name).isEmpty());
    }

    @Test
    void manyTakersRacingForAConfigLockLeaveExactlyOneHolder() throws Exception {
        assertEquals(1, race(new ConfigLockStore(engine)));
    }

    @Test
    void manyTakersRacingForANetworkLockLeaveExactlyOneHolderAndOneNetwork() throws Exception {
        assertEquals(1, race(new NetworkLockStore(engine)));
        long networks = 0;
        for (JsonNode n : engine.get("/networks")) {
            if (HostLock.objectName(name).equals(n.path("Name").asText())) {
                networks++;
            }
        }
        assertEquals(1, networks);
    }

    @Test
    void aStaleNetworkLockIsBrokenAndTaken() throws Exception {
        NetworkLockStore store = new NetworkLockStore(engine);
        Instant past = Instant.now().minus(Duration.ofHours(3));
        assertTrue(store.tryCreate(HostLock.objectName(name), Map.of(RunLabels.LOCK_HOLDER, "a job that died",
                RunLabels.LOCK_TOKEN, "old", RunLabels.LOCK_EXPIRES, RunLabels.rfc3339(past))));
        HostLock lock = new HostLock(store);
        try (HostLock.Held held = lock.acquire(name, "me", Duration.ofHours(2), Duration.ofSeconds(10), Events.none(), hooks)) {
            assertEquals("me", lock.current(name).orElseThrow().holder());
        }
        assertTrue(lock.current(name).isEmpty());
    }

    @Test
    void bothStoresRenewTheLockWhileItIsHeldAndLeaveNothingOnRelease() throws Exception {
        for (LockStore store : List.of(new ConfigLockStore(engine), new NetworkLockStore(engine))) {
            HostLock lock = new HostLock(store);
            Duration ttl = Duration.ofMillis(900);
            try (HostLock.Held held = lock.acquire(name, "me", ttl, Duration.ofSeconds(5), Events.none(), hooks)) {
                Instant first = lock.current(name).orElseThrow().expires();
                assertTrue(io.longshore.kit.wait.Deadline.in(Duration.ofSeconds(10))
                        .await(() -> lock.current(name).orElseThrow().expires().isAfter(first)), store.kind() + ": the expiry moved");
                // a renewal by anyone else's token is refused
                LockRecord mine = lock.current(name).orElseThrow();
                assertTrue(!store.renew(new LockRecord(mine.id(), mine.objectName(), "x", "not-the-token", null, null), Instant.now()),
                        store.kind());
            }
            assertTrue(lock.current(name).isEmpty(), store.kind());
            for (JsonNode n : engine.get("/networks")) {
                assertTrue(!n.path("Name").asText().startsWith(HostLock.objectName(name)), "left: " + n.path("Name").asText());
            }
        }
    }

    private int race(LockStore store) throws Exception {
        int takers = 6;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < takers; i++) {
                String holder = "taker-" + i;
                results.add(pool.submit(() -> {
                    start.await();
                    return store.tryCreate(HostLock.objectName(name), Map.of(RunLabels.LOCK_HOLDER, holder));
                }));
            }
            start.countDown();
        }
        int holders = 0;
        for (Future<Boolean> f : results) {
            holders += f.get() ? 1 : 0;
        }
        return holders;
    }

    private static void quietly(Runnable r) {
        try {
            r.run();
        } catch (EngineApiException e) {
            // already gone
        }
    }
}
