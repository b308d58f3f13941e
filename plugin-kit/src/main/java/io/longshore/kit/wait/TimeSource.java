package io.longshore.kit.wait;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Where waits read the time and how they let it pass: the system's clock and {@link Thread#sleep},
 * or, in tests where time is the subject, a fake clock that moves forward when it is slept on.
 */
public record TimeSource(Clock clock, Sleeper sleeper) {
    public static final TimeSource SYSTEM = new TimeSource(Clock.systemUTC(), Sleeper.SYSTEM);

    /** Lets time pass; a fake one advances its clock instead of blocking. */
    @FunctionalInterface
    public interface Sleeper {
        Sleeper SYSTEM = d -> Thread.sleep(Math.max(0, d.toMillis()));

        void sleep(Duration d) throws InterruptedException;
    }

    public Instant now() {
        return clock.instant();
    }

    public void sleep(Duration d) throws InterruptedException {
        if (d.isPositive()) {
            sleeper.sleep(d);
        }
    }
}
