package io.longshore.kit.wait;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * A point in time a wait must not pass, and the one way longshore waits: poll a condition at a
 * {@link Pace} until it holds, the deadline passes, or the wait is cancelled (the process was asked
 * to end). Never a fixed sleep: a wait ends as soon as its condition holds.
 *
 * <pre>{@code
 * Deadline d = Deadline.in(timeout).cancelledWhen(hooks::shuttingDown);
 * Optional<Verdict> v = d.poll(() -> decide(read()), Pace.every(POLL));
 * if (v.isEmpty()) return d.cancelled() ? interrupted() : timedOut();
 * }</pre>
 */
public record Deadline(Instant at, TimeSource time, BooleanSupplier cancel) {
    private static final BooleanSupplier NEVER = () -> false;

    /** A poll: empty while the awaited thing is not there yet, its value once it is. */
    @FunctionalInterface
    public interface Probe<T> {
        Optional<T> look() throws InterruptedException;
    }

    public static Deadline in(Duration d) {
        return in(d, TimeSource.SYSTEM);
    }

    public static Deadline in(Duration d, TimeSource time) {
        return new Deadline(time.now().plus(d), time, NEVER);
    }

    /** The same deadline, also cancelled once {@code cancelled} says so (checked at every look). */
    public Deadline cancelledWhen(BooleanSupplier cancelled) {
        BooleanSupplier before = cancel;
        return new Deadline(at, time, () -> before.getAsBoolean() || cancelled.getAsBoolean());
    }

    public Instant now() {
        return time.now();
    }

    public boolean cancelled() {
        return cancel.getAsBoolean();
    }

    /** Passed, or cancelled: either way a wait under it must end. */
    public boolean passed() {
        return !now().isBefore(at) || cancelled();
    }

    public Duration remaining() {
        Duration d = Duration.between(now(), at);
        return d.isNegative() ? Duration.ZERO : d;
    }

    /** The earlier of this deadline and {@code other} from now, with the same cancellation. */
    public Deadline atMost(Duration other) {
        Instant o = now().plus(other);
        return o.isBefore(at) ? new Deadline(o, time, cancel) : this;
    }

    /** Lets {@code d} pass, but never beyond the deadline. */
    public void pause(Duration d) throws InterruptedException {
        Duration left = remaining();
        time.sleep(d.compareTo(left) < 0 ? d : left);
    }

    /**
     * Looks until {@code probe} finds its value or the deadline passes (or is cancelled). It looks at
     * least once, and once more at the deadline.
     */
    public <T> Optional<T> poll(Probe<T> probe, Pace pace) throws InterruptedException {
        Duration interval = pace.first();
        while (true) {
            Optional<T> found = probe.look();
            if (found.isPresent()) {
                return found;
            }
            if (cancelled()) {
                return Optional.empty();
            }
            Duration left = remaining();
            if (left.isZero()) {
                return Optional.empty();
            }
            time.sleep(interval.compareTo(left) < 0 ? interval : left);
            interval = pace.next(interval);
        }
    }

    /** {@link #poll} for a condition: true once it holds, false when the deadline passed or the wait was cancelled. */
    public boolean await(BooleanSupplier condition) throws InterruptedException {
        return await(condition, Pace.DEFAULT);
    }

    public boolean await(BooleanSupplier condition, Pace pace) throws InterruptedException {
        return poll(() -> condition.getAsBoolean() ? Optional.of(Boolean.TRUE) : Optional.empty(), pace).isPresent();
    }
}
