package io.longshore.kit.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.longshore.kit.output.Events;
import io.longshore.kit.run.ExitStatus;
import io.longshore.kit.run.ShutdownHooks;
import io.longshore.kit.settings.InvalidSettingException;
import io.longshore.kit.stack.RunLabels;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The lock's protocol against an in-memory store; HostLockIT runs the same against the engine. */
class HostLockTest {

    /** One object per name, create fails when it exists: what a swarm config gives us. */
    static final class MemoryStore implements LockStore {
        final Map<String, LockRecord> objects = Collections.synchronizedMap(new HashMap<>());

        public String kind() {
            return "memory";
        }

        public synchronized boolean tryCreate(String objectName, Map<String, String> labels) {
            if (objects.containsKey(objectName)) {
                return false;
            }
            objects.put(objectName, LockRecord.from(UUID.randomUUID().toString(), objectName, labels));
            return true;
        }

        public Optional<LockRecord> read(String objectName) {
            return Optional.ofNullable(objects.get(objectName));
        }

        public synchronized void remove(String id) {
            objects.values().removeIf(r -> r.id().equals(id));
        }

        public synchronized boolean renew(LockRecord mine, Instant expires) {
            LockRecord now = objects.get(mine.objectName());
            if (now == null || !now.token().equals(mine.token())) {
                return false;
            }
            objects.put(mine.objectName(), new LockRecord(now.id(), now.objectName(), now.holder(), now.token(), now.acquired(), expires));
            return true;
        }
    }

    final MemoryStore store = new MemoryStore();
    final HostLock lock = new HostLock(store);
    final ShutdownHooks hooks = new ShutdownHooks(m -> {});
    final List<String> progress = Collections.synchronizedList(new ArrayList<>());
    final Events events = new Events() {
        public void step(String name) {}

        public void progress(String message) {
            progress.add(message);
        }

        public void warn(String message) {
            progress.add("warning: " + message);
        }
    };

    @Test
    void takingAFreeLockCreatesOneLabelledObjectAndClosingRemovesIt() throws Exception {
        try (HostLock.Held held = lock.acquire("ci", "repo#12", Duration.ofHours(2), Duration.ofSeconds(1), events, hooks)) {
            LockRecord r = lock.current("ci").orElseThrow();
            assertEquals("longshore-lock-ci", r.objectName());
            assertEquals("repo#12", r.holder());
            assertTrue(held.held());
        }
        assertTrue(lock.current("ci").isEmpty());
    }

    @Test
    void aSecondTakerWaitsWithAProgressLineAndTakesTheLockOnceReleased() throws Exception {
        HostLock.Held first = lock.acquire("ci", "first", Duration.ofHours(2), Duration.ofSeconds(1), events, hooks);
        Thread releaser = Thread.ofVirtual().start(() -> {
            try {
                while (progress.stream().noneMatch(l -> l.startsWith("waiting for lock ci held by first since"))) {
                    Thread.sleep(10);
                }
            } catch (InterruptedException e) {
                return;
            }
            first.release();
        });
        try (HostLock.Held second = lock.acquire("ci", "second", Duration.ofMinutes(1).plusSeconds(30), Duration.ofSeconds(90), events, hooks)) {
            assertEquals("second", lock.current("ci").orElseThrow().holder());
        }
        releaser.join();
        assertTrue(progress.stream().anyMatch(l -> l.startsWith("waiting for lock ci") && l.endsWith(" of 1m30s)")), progress.toString());
    }

    @Test
    void aLockStillHeldAtTheTimeoutEndsInTheLockedOutcomeNamingTheHolder() throws Exception {
        lock.acquire("ci", "the deploy of repo#7", Duration.ofHours(2), Duration.ofSeconds(1), events, hooks);
        LockTimeoutException e = assertThrows(LockTimeoutException.class,
                () -> lock.acquire("ci", "me", Duration.ofHours(2), Duration.ofMillis(300), events, hooks));
        assertEquals(ExitStatus.LOCKED, e.outcome().status());
        assertTrue(e.getMessage().contains("held by the deploy of repo#7"), e.getMessage());
    }

    @Test
    void anExpiredLockIsBrokenAndTaken() throws Exception {
        Instant past = Instant.now().minus(Duration.ofHours(3));
        store.tryCreate("longshore-lock-ci", Map.of(RunLabels.LOCK_HOLDER, "a dead job", RunLabels.LOCK_TOKEN, "old",
                RunLabels.LOCK_ACQUIRED, past.toString(), RunLabels.LOCK_EXPIRES, past.plus(Duration.ofHours(2)).toString()));
        try (HostLock.Held held = lock.acquire("ci", "me", Duration.ofHours(2), Duration.ofSeconds(1), events, hooks)) {
            assertEquals("me", lock.current("ci").orElseThrow().holder());
        }
        assertTrue(progress.stream().anyMatch(l -> l.startsWith("warning: breaking stale lock ci held by a dead job")), progress.toString());
    }

    @Test
    void releasingALockThatWasBrokenMeanwhileLeavesTheNewHoldersObjectAlone() throws Exception {
        HostLock.Held mine = lock.acquire("ci", "me", Duration.ofHours(2), Duration.ofSeconds(1), events, hooks);
        store.remove(lock.current("ci").orElseThrow().id());
        lock.acquire("ci", "someone else", Duration.ofHours(2), Duration.ofSeconds(1), events, hooks);
        mine.release();
        assertEquals("someone else", lock.current("ci").orElseThrow().holder());
        assertFalse(mine.held());
    }

    @Test
    void lockNamesMustMakeValidObjectNames() throws Exception {
        HostLock.validateName("ci-main.deploys_1");
        HostLock.validateName(null);
        assertThrows(InvalidSettingException.class, () -> HostLock.validateName("has space"));
        assertThrows(InvalidSettingException.class, () -> HostLock.validateName("-leading"));
        assertThrows(InvalidSettingException.class, () -> HostLock.validateName("x".repeat(49)));
    }

    @Test
    void aHeldLockIsRenewedByItsHeartbeatSoItOutlivesItsTtl() throws Exception {
        Duration ttl = Duration.ofMillis(300);
        try (HostLock.Held held = lock.acquire("ci", "a long snapshot", ttl, Duration.ofSeconds(1), events, hooks)) {
            LockRecord taken = lock.current("ci").orElseThrow();
            assertTrue(io.longshore.kit.wait.Deadline.in(Duration.ofSeconds(5))
                    .await(() -> lock.current("ci").orElseThrow().expires().isAfter(taken.expires())), "the expiry moved forward");
            // three ttls of waiting: without the heartbeat the lock would have gone stale and been taken
            LockTimeoutException e = assertThrows(LockTimeoutException.class,
                    () -> lock.acquire("ci", "another job", ttl, Duration.ofMillis(900), events, hooks));
            assertTrue(e.getMessage().contains("a long snapshot"), e.getMessage());
            assertTrue(held.held());
        }
        assertTrue(store.objects.isEmpty());
    }

    @Test
    void aHolderThatStopsBeatingGoesStaleAndIsTakenOver() throws Exception {
        Duration ttl = Duration.ofMillis(300);
        HostLock.Held dead = lock.acquire("ci", "a job that died", ttl, Duration.ofSeconds(1), events, hooks);
        dead.stopBeating();
        try (HostLock.Held next = lock.acquire("ci", "next", Duration.ofHours(1), Duration.ofSeconds(5), events, hooks)) {
            assertEquals("next", lock.current("ci").orElseThrow().holder());
            assertTrue(progress.stream().anyMatch(l -> l.startsWith("warning: breaking stale lock ci held by a job that died")), progress.toString());
        }
    }
}
