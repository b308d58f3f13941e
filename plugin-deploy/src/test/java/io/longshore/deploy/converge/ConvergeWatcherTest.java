package io.longshore.deploy.converge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConvergeWatcherTest {
    private static final Instant NOW = Instant.parse("2026-12-03T15:00:00Z");
    private static final Instant DEADLINE = NOW.plusSeconds(20);
    private static final List<ServiceProgress> SERVICES = List.of(new ServiceProgress("st_web", "replicated", 0, 1, "starting"));

    @Test
    void theNextLookComesWhenATaskWindowEndsNotAPauseLater() {
        var inWindow = new Convergence.Verdict.Waiting(SERVICES, NOW.plusNanos(37_200_000));
        assertEquals(Duration.ofMillis(38), ConvergeWatcher.nextLookWithin(NOW, DEADLINE, inWindow), "rounded up to the next millisecond");
        var endingNow = new Convergence.Verdict.Waiting(SERVICES, NOW);
        assertEquals(Duration.ofMillis(1), ConvergeWatcher.nextLookWithin(NOW, DEADLINE, endingNow), "never a zero wait: no busy loop");
    }

    @Test
    void withoutAWindowToEndTheDeadlineBoundsTheWait() {
        var preparing = new Convergence.Verdict.Waiting(SERVICES, null);
        assertEquals(Duration.ofSeconds(20), ConvergeWatcher.nextLookWithin(NOW, DEADLINE, preparing));
        var afterTheDeadline = new Convergence.Verdict.Waiting(SERVICES, DEADLINE.plusSeconds(1));
        assertEquals(Duration.ofSeconds(20), ConvergeWatcher.nextLookWithin(NOW, DEADLINE, afterTheDeadline));
    }
}
