package io.longshore.kit.lock;

import java.time.Duration;
import picocli.CommandLine.Option;

/** The host lock's settings, shared by deploy and prune (PRODUCT.md "The host lock"). */
public final class LockSettings {
    @Option(names = "--lock", paramLabel = "<name>",
            description = "Serialise work on this engine or swarm under this lock name; unset means no lock")
    public String lock;

    @Option(names = "--lock-timeout", paramLabel = "<duration>", defaultValue = "10m",
            description = "How long to wait for the lock before giving up with exit 4")
    public Duration lockTimeout;

    @Option(names = "--lock-ttl", paramLabel = "<duration>", defaultValue = "2h",
            description = "After this long a lock whose holder died counts as stale and is broken")
    public Duration lockTtl;
}
