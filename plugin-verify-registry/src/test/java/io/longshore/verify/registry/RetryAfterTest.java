package io.longshore.verify.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Retry-After in both of its forms, read against a fixed now. */
class RetryAfterTest {
    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

    @Test
    void delaySecondsAreAWaitOfThatMany() {
        assertEquals(Duration.ofSeconds(7), RetryInterceptor.retryAfter("7", NOW));
        assertEquals(Duration.ZERO, RetryInterceptor.retryAfter("0", NOW));
        assertEquals(Duration.ofSeconds(120), RetryInterceptor.retryAfter(" 120 ", NOW));
    }

    @Test
    void anHttpDateIsAWaitUntilThen() {
        assertEquals(Duration.ofSeconds(90), RetryInterceptor.retryAfter("Wed, 02 Dec 2026 10:01:30 GMT", NOW));
    }

    @Test
    void aDateAlreadyPastIsNoWait() {
        assertEquals(Duration.ZERO, RetryInterceptor.retryAfter("Wed, 02 Dec 2026 09:59:00 GMT", NOW));
    }

    @Test
    void eitherFormIsCappedAtAnHour() {
        assertEquals(Duration.ofHours(1), RetryInterceptor.retryAfter("86400", NOW));
        assertEquals(Duration.ofHours(1), RetryInterceptor.retryAfter("99999999999999999999999", NOW));
        assertEquals(Duration.ofHours(1), RetryInterceptor.retryAfter("Thu, 03 Dec 2026 10:00:00 GMT", NOW));
    }

    @Test
    void anythingElseLeavesTheWaitToTheBackoff() {
        assertNull(RetryInterceptor.retryAfter(null, NOW));
        assertNull(RetryInterceptor.retryAfter("", NOW));
        assertNull(RetryInterceptor.retryAfter("soon", NOW));
        assertNull(RetryInterceptor.retryAfter("-5", NOW));
        assertNull(RetryInterceptor.retryAfter("2026-12-02T10:01:30Z", NOW));
    }
}
