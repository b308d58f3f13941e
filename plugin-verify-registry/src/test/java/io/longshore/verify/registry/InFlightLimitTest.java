package io.longshore.verify.registry;

import io.longshore.kit.wait.Deadline;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The window of requests in flight, on instants the test gives by hand. */
class InFlightLimitTest {
    static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");
    final InFlightLimit limit = new InFlightLimit(32, Deadline.in(Duration.ofMinutes(1)), Clock.systemUTC());

    InFlightLimit.Ticket admit(Instant now) {
        InFlightLimit.Ticket[] t = new InFlightLimit.Ticket[1];
        assertEquals(Duration.ZERO, limit.admit(now, t), "not admitted");
        return t[0];
    }

    List<InFlightLimit.Ticket> admitAll(Instant now) {
        List<InFlightLimit.Ticket> out = new ArrayList<>();
        InFlightLimit.Ticket[] t = new InFlightLimit.Ticket[1];
        while (limit.admit(now, t).isZero()) {
            out.add(t[0]);
        }
        return out;
    }

    /** Answers every request of one window with {@code status}; returns how many there were. */
    int roundTrip(Instant now, int status) {
        List<InFlightLimit.Ticket> wave = admitAll(now);
        for (InFlightLimit.Ticket t : wave) {
            limit.release(t, now.plusMillis(20), status, null);
        }
        return wave.size();
    }

    @Test
    void startsAtTheOldWidthAndDoublesEachRoundTripUpToTheCeiling() {
        assertEquals(8, roundTrip(T0, 200));
        assertEquals(16, roundTrip(T0.plusMillis(20), 200));
        assertEquals(32, roundTrip(T0.plusMillis(40), 404));
        assertEquals(32, roundTrip(T0.plusMillis(60), 200), "never above the ceiling");
        assertEquals("", limit.describe());
    }

    @Test
    void anOverloadedAnswerHalvesTheWindowOnceForTheRequestsSentUnderIt() {
        roundTrip(T0, 200);
        roundTrip(T0.plusMillis(20), 200);
        assertEquals(32, limit.window());
        assertEquals(32, roundTrip(T0.plusMillis(40), 429));
        assertEquals(16, limit.window(), "32 429s to one window are one signal, not 32");
    }

    @Test
    void afterPushbackTheWindowNeverGrowsPastWhatTheRegistryTook() {
        roundTrip(T0, 503);
        assertEquals(4, limit.window());
        for (int i = 1; i <= 5; i++) {
            assertEquals(4, roundTrip(T0.plusMillis(20L * i), 200));
        }
        assertTrue(limit.describe().contains("asked to slow down 1 time: at most 4 requests in flight from then on (of 32)"),
                limit.describe());
    }

    @Test
    void retryAfterPausesEveryNewRequestUntilItPasses() {
        InFlightLimit.Ticket t = admit(T0);
        limit.release(t, T0, 503, Duration.ofSeconds(2));
        InFlightLimit.Ticket[] next = new InFlightLimit.Ticket[1];
        assertEquals(Duration.ofSeconds(2), limit.admit(T0, next));
        assertEquals(Duration.ofMillis(500), limit.admit(T0.plusMillis(1500), next));
        assertEquals(Duration.ZERO, limit.admit(T0.plusSeconds(2), next));
    }

    @Test
    void noAnswerAtAllLeavesTheWindowAsItIs() {
        limit.release(admit(T0), T0, 0, null);
        assertEquals(8, limit.window());
    }

    @Test
    void neverGoesBelowOne() {
        Instant now = T0;
        for (int i = 0; i < 10; i++) {
            now = now.plusMillis(1);
            limit.release(admit(now), now, 429, null);
        }
        assertEquals(1, limit.window());
    }
}
