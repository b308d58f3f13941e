package io.longshore.kit.wait;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DeadlineTest {
    private final FakeTime time = FakeTime.at("2026-12-01T10:00:00Z");

    @Test
    void endsAsSoonAsTheConditionHolds() throws InterruptedException {
        AtomicInteger polls = new AtomicInteger();
        assertTrue(Deadline.in(Duration.ofSeconds(30), time.source()).await(() -> polls.incrementAndGet() >= 3));
        assertEquals(3, polls.get());
        // 50 ms, then 100 ms: the backoff starts short
        assertEquals(Duration.ofMillis(150), Duration.between(FakeTime.at("2026-12-01T10:00:00Z").instant(), time.instant()));
    }

    @Test
    void givesUpAtTheDeadlineAfterCheckingOnceMoreThere() throws InterruptedException {
        List<Duration> seenAt = new ArrayList<>();
        var start = time.instant();
        assertFalse(Deadline.in(Duration.ofMillis(1_000), time.source()).await(() -> {
            seenAt.add(Duration.between(start, time.instant()));
            return false;
        }, Pace.backoff(Duration.ofMillis(100), Duration.ofMillis(400))));
        assertEquals(List.of(Duration.ZERO, Duration.ofMillis(100), Duration.ofMillis(300), Duration.ofMillis(700),
                Duration.ofMillis(1_000)), seenAt);
    }

    @Test
    void aFixedPaceLooksAtEveryInterval() throws InterruptedException {
        AtomicInteger polls = new AtomicInteger();
        Optional<String> found = Deadline.in(Duration.ofSeconds(10), time.source())
                .poll(() -> polls.incrementAndGet() == 5 ? Optional.of("there") : Optional.empty(), Pace.every(Duration.ofMillis(250)));
        assertEquals(Optional.of("there"), found);
        assertEquals(Duration.ofSeconds(1), Duration.between(FakeTime.at("2026-12-01T10:00:00Z").instant(), time.instant()));
    }

    @Test
    void aCancelledWaitEndsAtOnceAndSaysSo() throws InterruptedException {
        AtomicBoolean ending = new AtomicBoolean();
        AtomicInteger polls = new AtomicInteger();
        Deadline d = Deadline.in(Duration.ofMinutes(5), time.source()).cancelledWhen(ending::get);
        assertFalse(d.await(() -> {
            if (polls.incrementAndGet() == 2) {
                ending.set(true);
            }
            return false;
        }));
        assertEquals(2, polls.get());
        assertTrue(d.cancelled());
        assertTrue(d.passed());
    }

    @Test
    void aPauseNeverOutlastsTheDeadline() throws InterruptedException {
        Deadline d = Deadline.in(Duration.ofSeconds(2), time.source());
        d.pause(Duration.ofSeconds(5));
        assertTrue(d.passed());
        assertEquals(Duration.ZERO, d.remaining());
    }

    @Test
    void theSystemTimeReallyWaits() throws InterruptedException {
        long t0 = System.nanoTime();
        assertFalse(Deadline.in(Duration.ofMillis(200)).await(() -> false));
        assertTrue(Duration.ofNanos(System.nanoTime() - t0).toMillis() >= 200);
    }
}
