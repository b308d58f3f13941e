package io.longshore.kit.wait;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A clock for tests where time is the subject: it stands still until slept on or moved, and never blocks. */
public final class FakeTime extends Clock implements TimeSource.Sleeper {
    private final AtomicReference<Instant> now;

    public FakeTime(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    public static FakeTime at(String rfc3339) {
        return new FakeTime(Instant.parse(rfc3339));
    }

    public TimeSource source() {
        return new TimeSource(this, this);
    }

    public void advance(Duration d) {
        now.updateAndGet(t -> t.plus(d));
    }

    @Override
    public void sleep(Duration d) {
        advance(d);
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
