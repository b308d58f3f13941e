package io.longshore.verify.registry;

import java.time.Duration;
import java.time.Instant;

/** The whole job's deadline ({@code timeout}): every request and every retry wait fits inside it. */
public record Deadline(Instant end) {
    public static Deadline in(Duration timeout) {
        return new Deadline(Instant.now().plus(timeout));
    }

    public Duration remaining() {
        Duration d = Duration.between(Instant.now(), end);
        return d.isNegative() ? Duration.ZERO : d;
    }

    public boolean passed() {
        return remaining().isZero();
    }
}
