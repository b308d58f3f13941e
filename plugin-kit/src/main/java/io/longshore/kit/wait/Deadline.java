package io.longshore.kit.wait;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * A point in time a wait must not pass. Waits poll a condition with short, growing intervals
 * (capped at {@link #MAX_INTERVAL}) instead of sleeping a fixed time: they end as soon as the
 * condition holds, and never later than the deadline.
 */
public record Deadline(Instant at) {
    public static final Duration FIRST_INTERVAL = Duration.ofMillis(50);
    public static final Duration MAX_INTERVAL = Duration.ofMillis(500);

    public static Deadline in(Duration d) {
        return new Deadline(Instant.now().plus(d));
    }

    public boolean passed() {
        return !Instant.now().isBefore(at);
    }

    public Duration remaining() {
        Duration d = Duration.between(Instant.now(), at);
        return d.isNegative() ? Duration.ZERO : d;
    }

    /** The earlier of this deadline and {@code other} from now. */
    public Deadline atMost(Duration other) {
        Instant o = Instant.now().plus(other);
        return o.isBefore(at) ? new Deadline(o) : this;
    }

    /**
     * Polls {@code condition} until it holds (true) or the deadline passes (false). The condition is
     * always checked at least once, and once more at the deadline.
     */
    public boolean await(BooleanSupplier condition) throws InterruptedException {
        return await(condition, MAX_INTERVAL);
    }

    public boolean await(BooleanSupplier condition, Duration maxInterval) throws InterruptedException {
        Duration interval = FIRST_INTERVAL.compareTo(maxInterval) < 0 ? FIRST_INTERVAL : maxInterval;
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Duration left = remaining();
            if (left.isZero()) {
                return false;
            }
            Thread.sleep(Math.max(1, Math.min(interval.toMillis(), left.toMillis())));
            interval = interval.multipliedBy(2);
            if (interval.compareTo(maxInterval) > 0) {
                interval = maxInterval;
            }
        }
    }
}
