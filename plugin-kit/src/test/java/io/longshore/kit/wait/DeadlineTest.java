package io.longshore.kit.wait;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DeadlineTest {

    @Test
    void endsAsSoonAsTheConditionHolds() throws InterruptedException {
        AtomicInteger polls = new AtomicInteger();
        long t0 = System.nanoTime();
        assertTrue(Deadline.in(Duration.ofSeconds(30)).await(() -> polls.incrementAndGet() >= 3));
        assertTrue(Duration.ofNanos(System.nanoTime() - t0).toMillis() < 2_000);
    }

    @Test
    void givesUpAtTheDeadlineAfterCheckingOnceMore() throws InterruptedException {
        AtomicInteger polls = new AtomicInteger();
        long t0 = System.nanoTime();
        assertFalse(Deadline.in(Duration.ofMillis(300)).await(() -> {
            polls.incrementAndGet();
            return false;
        }));
        long took = Duration.ofNanos(System.nanoTime() - t0).toMillis();
        assertTrue(took >= 300 && took < 1_500, "took " + took);
        assertTrue(polls.get() >= 3);
    }
}
