package io.longshore.deploy;

import io.longshore.kit.engine.Engine;
import io.longshore.kit.lock.HostLock;
import io.longshore.kit.lock.LockSettings;
import io.longshore.kit.run.Job;
import io.longshore.kit.stack.Janitor;
import io.longshore.kit.stack.JanitorPolicy;
import io.longshore.kit.stack.Protect;
import io.longshore.kit.stack.ObjectKind;
import io.longshore.kit.stack.Teardown;
import io.longshore.kit.stack.TeardownGuard;
import io.longshore.kit.stack.TeardownResult;
import io.longshore.kit.engine.Filter;
import io.longshore.kit.wait.Deadline;
import io.longshore.kit.wait.Pace;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Deploy's housekeeping through the kit: {@link Teardown}, {@link Janitor} and {@link HostLock}. */
final class KitHousekeeping implements RunHousekeeping {
    private final Job job;
    private final Engine engine;
    private final LockSettings lock;
    private final Duration timeout;
    private final Teardown teardown;
    private static final Duration SETTLE = Duration.ofSeconds(10);
    private static final Duration TASKS_DELETED = Duration.ofSeconds(60);
    private static final Pace POLL = Pace.every(Duration.ofMillis(250));

    KitHousekeeping(Job job, Engine engine, LockSettings lock, Duration timeout) {
        this.job = job;
        this.engine = engine;
        this.lock = lock;
        this.timeout = timeout;
        this.teardown = Teardown.on(engine, job.events());
    }

    @Override
    public String reapExpired(List<String> protect) throws InterruptedException {
        Janitor.JanitorReport r = new Janitor(teardown, job.events(), job.hooks())
                .sweep(new JanitorPolicy(Instant.now(), null, new Protect(protect)), timeout, false);
        return r.summary();
    }

    @Override
    public AutoCloseable lock() throws Exception {
        return HostLock.acquire(job, engine, lock);
    }

    /** Waits (bounded) until nothing of the run is listed any more. */
    private boolean settled(String stack) throws InterruptedException {
        return Deadline.in(SETTLE).cancelledWhen(job.hooks()::shuttingDown).await(() -> teardown.plan(stack).isEmpty(), POLL);
    }

    @Override
    public Cleanup clear(String stack) throws InterruptedException {
        TeardownResult r = teardown.run(stack, timeout);
        if (!r.clean() && settled(stack)) {
            r = teardown.run(stack, timeout);
        }
        boolean gone = r.clean() && settled(stack) && tasksDeleted(stack);
        return new Cleanup(gone, r.summary() + (gone ? "" : "; the engine still lists tasks of " + stack), r.describe());
    }

    @Override
    public Cleanup clearData(String stack) throws InterruptedException {
        java.util.Set<ObjectKind> data = java.util.EnumSet.of(ObjectKind.SERVICE, ObjectKind.CONTAINER, ObjectKind.VOLUME);
        TeardownResult r = teardown.run(stack, timeout, data);
        boolean gone = r.clean() && tasksDeleted(stack);
        return new Cleanup(gone, r.summary() + (gone ? "" : "; the engine still lists tasks of " + stack), r.describe());
    }

    /**
     * Waits (bounded) until swarm has deleted the removed services' tasks: until then its scheduler
     * still counts their host-mode ports as taken, and the next stage's deploy would find no node.
     */
    private boolean tasksDeleted(String stack) throws InterruptedException {
        // the engine matches task names (<service>.<slot>) by prefix, so this lists the run's tasks only
        return Deadline.in(TASKS_DELETED).cancelledWhen(job.hooks()::shuttingDown)
                .await(() -> engine.read().tasks(Filter.name(stack + "_")).isEmpty(), POLL);
    }

    @Override
    public Guard guard(String stack, boolean onExit) {
        // With onExit the kit's guard also tears down from the SIGTERM hook, exactly once.
        TeardownGuard hooked = onExit ? TeardownGuard.register(job.hooks(), teardown, stack, timeout) : null;
        return new Guard() {
            private TeardownResult result;

            @Override
            public synchronized Cleanup tearDown() throws InterruptedException {
                if (result == null) {
                    result = hooked != null ? hooked.run() : teardown.run(stack, timeout);
                    if (!result.clean() && settled(stack)) {
                        // The engine can list a just-removed swarm network on this node for a moment
                        // after the cluster removed it; once the listing has settled, verify again.
                        result = teardown.run(stack, timeout);
                    }
                }
                return new Cleanup(result.clean(), result.summary(), result.describe());
            }

            @Override
            public void close() {
                if (hooked != null) {
                    // only reached after tearDown(): close() then just drops the exit hook
                    hooked.close();
                }
            }
        };
    }
}
