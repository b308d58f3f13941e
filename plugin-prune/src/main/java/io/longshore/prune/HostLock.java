package io.longshore.prune;

import io.longshore.kit.engine.Engine;
import io.longshore.kit.run.Job;
import java.time.Duration;

/** Placeholder seam until the kit's host lock lands (teardown issue); replaced by io.longshore.kit.lock. */
final class HostLock {
    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    static Held acquire(Engine engine, Job job, String name, Duration ttl, Duration timeout) {
        throw new UnsupportedOperationException("the host lock is not built yet");
    }
}
