package io.longshore.kit.lock;

import io.longshore.kit.run.Outcome;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** The lock was still held by someone else when {@code lock_timeout} ran out: the job ends with exit 4. */
public final class LockTimeoutException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String lockName;
    private final transient LockRecord holder;

    /** {@code holder} is null when the process was asked to end before anyone was seen holding it. */
    public LockTimeoutException(String lockName, LockRecord holder, Duration waited) {
        super(holder == null ? "lock " + lockName + " was not taken: the process is ending"
                : "lock " + lockName + " is " + holder.describe() + "; gave up after " + HostLock.seconds(waited)
                + " (PLUGIN_LOCK_TIMEOUT)");
        this.lockName = lockName;
        this.holder = holder;
    }

    public String lockName() {
        return lockName;
    }

    public LockRecord holder() {
        return holder;
    }

    /** The plugin's outcome: {@link Outcome.Locked}, exit 4, naming the holder. */
    public Outcome outcome() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("lock", lockName);
        details.put("holder", holder == null ? null : holder.holder());
        details.put("acquired", holder == null || holder.acquired() == null ? null : holder.acquired().toString());
        details.put("expires", holder == null || holder.expires() == null ? null : holder.expires().toString());
        return new Outcome.Locked(getMessage(), details);
    }
}
