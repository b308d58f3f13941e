package io.longshore.kit.stack;

import io.longshore.kit.run.ShutdownHooks;
import java.time.Duration;

/**
 * Makes sure a run is torn down exactly once, on every exit path: call {@link #run()} (or close
 * the guard, e.g. in a {@code finally} or try-with-resources), and if the process is asked to end
 * first (SIGTERM), the exit hook does it. When SIGTERM arrives during a teardown, the hook waits
 * for that teardown to finish (it is bounded by its own timeout) instead of starting another.
 *
 * <pre>{@code
 * try (TeardownGuard guard = TeardownGuard.register(job.hooks(), teardown, stack, timeout)) {
 *     deploy(...);                        // SIGTERM here: the hook tears the run down
 * }                                       // normal end or exception: close() tears it down
 * }</pre>
 */
public final class TeardownGuard implements AutoCloseable {
    private final Teardown teardown;
    private final String stack;
    private final Duration timeout;
    private final ShutdownHooks.Registration registration;
    private TeardownResult result;

    private TeardownGuard(ShutdownHooks hooks, Teardown teardown, String stack, Duration timeout) {
        this.teardown = teardown;
        this.stack = stack;
        this.timeout = timeout;
        this.registration = hooks.register("tear down run " + stack, this::runFromHook);
    }

    public static TeardownGuard register(ShutdownHooks hooks, Teardown teardown, String stack, Duration timeout) {
        return new TeardownGuard(hooks, teardown, stack, timeout);
    }

    /** Tears the run down, or returns the result of the teardown that already ran (waiting for it if running). */
    public synchronized TeardownResult run() throws InterruptedException {
        if (result == null) {
            result = teardown.run(stack, timeout);
        }
        return result;
    }

    /** The result, or null when no teardown has finished yet. */
    public synchronized TeardownResult result() {
        return result;
    }

    private void runFromHook() {
        try {
            run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Tears the run down if that has not happened yet, and drops the exit hook. */
    @Override
    public void close() {
        try {
            run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            registration.close();
        }
    }
}
