package io.longshore.kit.lock;

import io.longshore.kit.settings.Bounds;
import io.longshore.kit.settings.InvalidSettingException;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The host lock's settings, shared by deploy and prune (PRODUCT.md "The host lock"). */
public final class LockSettings {
    @Option(names = "--lock", paramLabel = "<name>",
            description = "Serialise work on this engine or swarm under this lock name; unset means no lock")
    public String lock;

    @Option(names = "--lock-timeout", paramLabel = "<duration>", defaultValue = "10m",
            description = "How long to wait for the lock before giving up with exit 4")
    @Bounds(min = "0s")
    public Duration lockTimeout;

    @Option(names = "--lock-ttl", paramLabel = "<duration>", defaultValue = "2h",
            description = "After this long a lock whose holder died counts as stale and is broken; a living holder renews it every third of this")
    @Bounds(min = "0s", aboveMin = true)
    public Duration lockTtl;

    /** No lock: {@link HostLock#acquire} then holds nothing (a node's part of a prune the manager holds the lock for). */
    public static LockSettings none() {
        return new LockSettings();
    }

    /** For a plugin's {@code validate}: a usable lock name (the durations' bounds are declared). */
    public void validate() throws InvalidSettingException {
        HostLock.validateName(lock == null ? null : lock.trim());
    }
}
