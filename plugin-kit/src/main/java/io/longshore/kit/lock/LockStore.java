package io.longshore.kit.lock;

import java.util.Map;
import java.util.Optional;

/**
 * Where a lock lives: one uniquely named engine object whose creation is the acquisition. A swarm
 * config on a manager (names are unique cluster-wide and create is atomic), a local network on a
 * single engine.
 */
public interface LockStore {
    /** "config" or "network": what {@code docker <kind> ls} shows the lock in. */
    String kind();

    /** Creates the object; true when this call now holds it, false when someone else does. */
    boolean tryCreate(String objectName, Map<String, String> labels);

    /** The current holder's object, if any. */
    Optional<LockRecord> read(String objectName);

    /** Removes the object with this id; already gone is fine. */
    void remove(String id);

    /**
     * Pushes the expiry of the lock object {@code mine} (as read just now) to {@code expires}: the
     * holder's heartbeat. False when the object is gone or no longer carries {@code mine}'s token
     * (it was broken and taken); the store never renews somebody else's lock.
     */
    boolean renew(LockRecord mine, java.time.Instant expires);

    /** Removes the lock {@code record} and whatever its renewals left; already gone is fine. */
    default void remove(LockRecord record) {
        remove(record.id());
    }
}
