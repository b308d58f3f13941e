package io.longshore.verify.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The window of requests in flight, on a clock the test moves by hand. */
class InFlightLimitTest {
    static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");
    final InFlightLimit limit = new InFlightLimit(32, Deadline.in(Duration.ofMinutes(1)), Clock.systemUTC());

    InFlightLimit.Ticket admit(Instant now) {
        InFlightLimit.Ticket[] t = new InFlightLimit.Ticket[1];
        Duration wait = limit.admit(now, t);
        assertEquals(Duration.ZERO, wait, "not admitted");
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

    @Test
    void startsAtTheCeilingAndAdmitsNoMore() {
        assertEquals(32, admitAll(T0).size());
        InFlightLimit.Ticket[] t = new InFlightLimit.Ticket[1];
        assertTrue(limit.admit(T0, t).isPositive());
    }

    @Test
    void anOverloadedAnswerHalvesTheWindowOnceForTheRequestsSentUnderIt() {
        List<InFlightLimit.Ticket> wave = admitAll(T0);
        Instant later = T0.plusMillis(20);
        for (InFlightLimit.Ticket t : wave) {
            limit.release(t, later, 429, null);
        }
        assertEquals(16, limit.window(), "eight 429s to one window are one signal, not eight");
        assertEquals(16, admitAll(later.plusMillis(1)).size());
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
    void answersGrowTheWindowBackByAboutOnePerWindowOfAnswers() {
        limit.release(admit(T0), T0, 429, null);
        limit.release(admit(T0.plusMillis(1)), T0.plusMillis(1), 429, null);
        assertEquals(8, limit.window());
        Instant now = T0.plusMillis(2);
        for (int i = 0; i < 9; i++) {
            limit.release(admit(now), now, 200, null);
        }
        assertEquals(9, limit.window(), "nine answers at a window of eight grow it by one");
        for (int i = 0; i < 1000; i++) {
            limit.release(admit(now), now, 404, null);
        }
        assertEquals(32, limit.window(), "never above the ceiling");
        assertTrue(limit.describe().contains("asked to slow down 2 times: requests in flight went down to 8 of 32"), limit.describe());
    }

    @Test
    void noAnswerAtAllLeavesTheWindowAsItIs() {
        limit.release(admit(T0), T0, 0, null);
        assertEquals(32, limit.window());
        assertEquals("", limit.describe());
    }

    @Test
    void neverGoesBelowOne() {
        Instant now = T0;
        for (int i = 0; i < 10; i++) {
            now = now.plusMillis(1);
            limit.release(admit(now), now, 503, null);
        }
        assertEquals(1, limit.window());
    }
}
