package io.longshore.kit.lock;

import io.longshore.kit.engine.Engine;
import io.longshore.kit.output.Events;
import io.longshore.kit.run.Job;
import io.longshore.kit.run.ShutdownHooks;
import io.longshore.kit.run.UnreachableException;
import io.longshore.kit.settings.InvalidSettingException;
import io.longshore.kit.settings.SettingFormats;
import io.longshore.kit.stack.RunFinder;
import io.longshore.kit.stack.RunLabels;
import io.longshore.kit.wait.Deadline;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The host lock (PRODUCT.md "The host lock"): serialises work on one engine or swarm across
 * pipelines. Taking it creates one uniquely named object ({@code longshore-lock-<name>}) labelled
 * with holder, acquisition time and expiry; a second taker waits with a progress line until the
 * lock is released, its expiry passes (then it is broken and taken) or the timeout ends
 * ({@link LockTimeoutException}, exit 4). The returned {@link Held} releases on close and from the
 * exit hook, so SIGTERM releases it too. While held, a heartbeat pushes the expiry a {@code ttl}
 * ahead every third of it, so a long job never loses the lock to its ttl, while a holder that dies
 * stops beating and its lock goes stale one ttl later.
 *
 * <pre>{@code
 * try (HostLock.Held lock = HostLock.acquire(job, engine, lockSettings)) {   // no-op when --lock is unset
 *     ... work ...
 * } catch (LockTimeoutException e) {
 *     return e.outcome();                                                   // exit 4
 * }
 * }</pre>
 */
public final class HostLock {
    public static final String OBJECT_PREFIX = "longshore-lock-";
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9](?:[a-zA-Z0-9_.-]{0,46}[a-zA-Z0-9])?");
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(30);

    private final LockStore store;

    public HostLock(LockStore store) {
        this.store = store;
    }

    /** A config on a swarm manager (cluster-wide), a local network on any other engine. */
    public static HostLock on(Engine engine) {
        return new HostLock(RunFinder.isSwarmManager(engine) ? new ConfigLockStore(engine) : new NetworkLockStore(engine));
    }

    public LockStore store() {
        return store;
    }

    public static String objectName(String lockName) {
        return OBJECT_PREFIX + lockName;
    }

    /** Lock names become object names: letters, digits, {@code _ . -}, at most 48 characters. */
    public static void validateName(String lockName) throws InvalidSettingException {
        if (lockName != null && !NAME.matcher(lockName).matches()) {
            throw InvalidSettingException.of("--lock", "'" + lockName
                    + "' is not a usable lock name; use letters, digits, '_', '.' or '-' (at most 48, starting and ending with a letter or digit)");
        }
    }

    /** Who holds the lock now, if anyone. */
    public Optional<LockRecord> current(String lockName) {
        return store.read(objectName(lockName));
    }

    /**
     * Takes the lock as the plugin's settings ask, for {@code job} (holder: the CI link or repo#build,
     * else plugin and pid). With {@code --lock} unset, returns a handle that holds nothing.
     */
    public static Held acquire(Job job, Engine engine, LockSettings settings) throws LockTimeoutException, InterruptedException {
        if (settings == null || settings.lock == null || settings.lock.isBlank()) {
            return Held.NONE;
        }
        String owner = job.ci().owner();
        String holder = job.plugin() + " " + (owner != null ? owner : "pid " + ProcessHandle.current().pid()
                + " on " + job.env().getOrDefault("HOSTNAME", "this host"));
        return on(engine).acquire(settings.lock.trim(), holder, settings.lockTtl, settings.lockTimeout, job.events(), job.hooks());
    }

    /**
     * Takes lock {@code lockName} for {@code holder}, valid for {@code ttl}, waiting at most
     * {@code timeout}. The handle is registered in {@code hooks} so it is released on every exit.
     *
     * @throws LockTimeoutException when the lock is still held by someone else at the timeout, or the
     *                              process is asked to end while waiting
     */
    public Held acquire(String lockName, String holder, Duration ttl, Duration timeout, Events events, ShutdownHooks hooks)
            throws LockTimeoutException, InterruptedException {
        String objectName = objectName(lockName);
        String token = UUID.randomUUID().toString();
        Instant waitingSince = Instant.now();
        Deadline deadline = Deadline.in(timeout);
        Instant lastProgress = null;
        String lastHolder = null;
        LockRecord seen = null;
        while (true) {
            Instant now = Instant.now();
            if (hooks.shuttingDown()) {
                // nothing new is created once the process is ending: a lock taken now would never be released
                throw new LockTimeoutException(lockName, seen, Duration.between(waitingSince, now));
            }
            Map<String, String> labels = labels(lockName, holder, token, now, now.plus(ttl));
            if (store.tryCreate(objectName, labels)) {
                // Register before anything else can fail, so even an early SIGTERM releases it.
                Held held = new Held(this, lockName, objectName, token, events);
                held.registration = hooks.register("release lock " + lockName, held::release);
                held.beat(ttl);
                String waited = lastHolder == null ? "" : " after waiting " + seconds(Duration.between(waitingSince, now));
                events.progress("took lock " + lockName + " (" + store.kind() + " " + objectName + ")" + waited
                        + ", expires " + RunLabels.rfc3339(now.plus(ttl)));
                return held;
            }
            Optional<LockRecord> current = store.read(objectName);
            if (current.isEmpty()) {
                continue; // released between our create and our read: try again at once
            }
            LockRecord other = current.get();
            seen = other;
            if (other.expiredAt(now)) {
                events.warn("breaking stale lock " + lockName + " " + other.describe());
                store.remove(other);
                continue;
            }
            if (deadline.passed()) {
                throw new LockTimeoutException(lockName, other, timeout);
            }
            if (hooks.shuttingDown()) {
                throw new LockTimeoutException(lockName, other, Duration.between(waitingSince, now));
            }
            boolean holderChanged = !String.valueOf(other.token()).equals(lastHolder);
            if (holderChanged || lastProgress == null || Duration.between(lastProgress, now).compareTo(PROGRESS_EVERY) >= 0) {
                events.progress("waiting for lock " + lockName + " " + other.describe()
                        + " (waited " + seconds(Duration.between(waitingSince, now)) + " of " + seconds(timeout) + ")");
                lastProgress = now;
                lastHolder = String.valueOf(other.token());
            }
            long pause = Math.min(POLL.toMillis(), Math.max(1, deadline.remaining().toMillis()));
            Thread.sleep(pause);
        }
    }

    private static Map<String, String> labels(String lockName, String holder, String token, Instant now, Instant expires) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(RunLabels.LOCK, lockName);
        m.put(RunLabels.LOCK_HOLDER, holder);
        m.put(RunLabels.LOCK_ACQUIRED, RunLabels.rfc3339(now));
        m.put(RunLabels.LOCK_EXPIRES, RunLabels.rfc3339(expires));
        m.put(RunLabels.LOCK_TOKEN, token);
        return m;
    }

    /** Whole seconds, written as a setting writes a duration (10m, 1m30s). */
    static String seconds(Duration d) {
        return SettingFormats.formatDuration(d.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }

    /** A held lock. Releasing is idempotent and removes the object only while it is still ours. */
    public static final class Held implements AutoCloseable {
        static final Held NONE = new Held(null, null, null, null, null);

        private final HostLock lock;
        private final String name;
        private final String objectName;
        private final String token;
        private final Events events;
        private ShutdownHooks.Registration registration;
        private boolean released;
        private final java.util.concurrent.CountDownLatch stop = new java.util.concurrent.CountDownLatch(1);

        private Held(HostLock lock, String name, String objectName, String token, Events events) {
            this.lock = lock;
            this.name = name;
            this.objectName = objectName;
            this.token = token;
            this.events = events;
            this.released = lock == null;
        }

        /** The lock name, or null for the handle returned when no lock was asked for. */
        public String name() {
            return name;
        }

        public synchronized boolean held() {
            return !released;
        }

        /**
         * Starts the heartbeat: every third of {@code ttl}, the lock object's expiry is moved to a
         * {@code ttl} from then. It stops on release, or with a warning when the lock was broken and
         * taken by someone else (then this job no longer holds it). An engine error misses one beat.
         */
        void beat(Duration ttl) {
            Duration every = ttl.dividedBy(3);
            Thread.ofVirtual().name("lock heartbeat " + name).start(() -> {
                boolean warned = false;
                try {
                    while (!stop.await(Math.max(1, every.toMillis()), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                        try {
                            if (!renew(ttl)) {
                                return;
                            }
                            warned = false;
                        } catch (RuntimeException e) {
                            if (!warned) {
                                events.warn("renewing lock " + name + " failed: " + e.getMessage() + "; trying again at the next beat");
                                warned = true;
                            }
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }

        /** One beat, never at the same time as the release: false when the lock is released or no longer ours. */
        private synchronized boolean renew(Duration ttl) {
            if (released) {
                return false;
            }
            Optional<LockRecord> now = lock.store.read(objectName);
            if (now.isEmpty() || !token.equals(now.get().token()) || !lock.store.renew(now.get(), Instant.now().plus(ttl))) {
                events.warn("lock " + name + " is no longer held by this job"
                        + now.filter(r -> !token.equals(r.token())).map(r -> " (now " + r.describe() + ")").orElse("")
                        + "; its heartbeat stopped");
                return false;
            }
            return true;
        }

        /** Stops renewing without releasing: what a holder that died leaves (for tests). */
        void stopBeating() {
            stop.countDown();
        }

        public void release() {
            stopBeating();
            releaseObject();
        }

        private synchronized void releaseObject() {
            if (released) {
                return;
            }
            released = true;
            try {
                Optional<LockRecord> now = lock.store.read(objectName);
                if (now.isPresent() && token.equals(now.get().token())) {
                    lock.store.remove(now.get());
                    events.progress("released lock " + name);
                } else {
                    events.warn("lock " + name + " was no longer ours to release"
                            + now.map(r -> " (now " + r.describe() + ")").orElse(""));
                }
            } catch (UnreachableException e) {
                // the engine's tolerance layer waited for it already; the lock object stays until its expiry
                events.warn("lock " + name + " could not be released: " + e.getMessage() + "; it stays held until its "
                        + RunLabels.LOCK_EXPIRES + " passes, when the next taker breaks it");
            } finally {
                if (registration != null) {
                    registration.close();
                }
            }
        }

        @Override
        public void close() {
            release();
        }
    }
}
