package io.longshore.deploy;

import io.longshore.kit.output.Events;
import java.util.List;

/**
 * Stands in at the seam until the kit's teardown, janitor and lock are wired in: it says so
 * instead of pretending to clean up.
 */
final class PendingHousekeeping implements RunHousekeeping {
    private final Events events;

    PendingHousekeeping(Events events) {
        this.events = events;
    }

    @Override
    public String reapExpired(List<String> protect) {
        return "janitor: not available in this build";
    }

    @Override
    public AutoCloseable lock(String name) {
        events.warn("the host lock is not available in this build; deploying without it");
        return () -> { };
    }

    @Override
    public Guard guard(String stack, boolean onExit) {
        return new Guard() {
            @Override
            public Cleanup tearDown() {
                return new Cleanup(false, "teardown is not available in this build; " + stack + " is left behind", null);
            }

            @Override
            public void close() { }
        };
    }
}
