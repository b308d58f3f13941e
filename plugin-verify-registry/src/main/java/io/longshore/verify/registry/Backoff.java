package io.longshore.verify.registry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: attempt n waits a random time between half and all of
 * min(cap, base·2ⁿ), so clients that failed together do not retry together. A server's
 * {@code Retry-After} is a floor: the wait is that plus a little jitter.
 */
public record Backoff(Duration base, Duration cap) {
    public static Backoff standard() {
        return new Backoff(Duration.ofMillis(250), Duration.ofSeconds(20));
    }

    public Duration delay(int attempt, Duration retryAfter) {
        long ceiling = Math.max(1, Math.min(cap.toMillis(), base.toMillis() << Math.min(attempt, 20)));
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (retryAfter != null) {
            return retryAfter.plusMillis(random.nextLong(0, Math.min(ceiling, 250) + 1));
        }
        return Duration.ofMillis(random.nextLong(ceiling / 2, ceiling + 1));
    }
}
