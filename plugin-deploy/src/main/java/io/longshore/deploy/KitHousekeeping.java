package io.longshore.deploy;

import io.longshore.kit.engine.Engine;
import io.longshore.kit.lock.HostLock;
import io.longshore.kit.lock.LockSettings;
import io.longshore.kit.run.Job;
import io.longshore.kit.stack.Janitor;
import io.longshore.kit.stack.JanitorPolicy;
import io.longshore.kit.stack.Protect;
import io.longshore.kit.stack.Teardown;
import io.longshore.kit.stack.TeardownGuard;
import io.longshore.kit.stack.TeardownResult;
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
        Instant deadline = Instant.now().plus(SETTLE);
        while (Instant.now().isBefore(deadline)) {
            if (teardown.plan(stack).isEmpty()) {
                return true;
            }
            Thread.sleep(250);
        }
        return false;
    }

    @Override
    public Cleanup clear(String stack) throws InterruptedException {
        TeardownResult r = teardown.run(stack, timeout);
        if (!r.clean() && settled(stack)) {
            r = teardown.run(stack, timeout);
        }
        boolean gone = r.clean() && settled(stack);
        return new Cleanup(gone, r.summary(), r.describe());
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
