package io.longshore.kit.wait;

import java.time.Duration;

/**
 * How often a wait looks again: a fixed interval, or one that starts short and doubles up to a
 * cap, so a condition that holds soon is seen soon and a long wait does not hammer the engine.
 */
public record Pace(Duration first, Duration max) {
    public static final Pace DEFAULT = backoff(Duration.ofMillis(50), Duration.ofMillis(500));

    public Pace {
        if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("a pace needs 0 < first <= max, got " + first + " and " + max);
        }
    }

    public static Pace every(Duration interval) {
        return new Pace(interval, interval);
    }

    public static Pace backoff(Duration first, Duration max) {
        return new Pace(first, max);
    }

    /** The interval after {@code current}. */
    Duration next(Duration current) {
        Duration doubled = current.multipliedBy(2);
        return doubled.compareTo(max) > 0 ? max : doubled;
    }
}
