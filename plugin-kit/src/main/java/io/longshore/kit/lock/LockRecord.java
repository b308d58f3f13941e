package io.longshore.kit.lock;

import io.longshore.kit.stack.RunLabels;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

/** The lock object as the engine holds it: which object, who holds it, since when, until when. */
public record LockRecord(String id, String objectName, String holder, String token, Instant acquired, Instant expires) {

    static LockRecord from(String id, String objectName, Map<String, String> labels) {
        return new LockRecord(id, objectName, labels.getOrDefault(RunLabels.LOCK_HOLDER, "an unknown holder"),
                labels.get(RunLabels.LOCK_TOKEN), time(labels.get(RunLabels.LOCK_ACQUIRED)),
                time(labels.get(RunLabels.LOCK_EXPIRES)));
    }

    /** Expired (its holder is presumed dead); a lock without a readable expiry never expires by itself. */
    public boolean expiredAt(Instant now) {
        return expires != null && !expires.isAfter(now);
    }

    public String describe() {
        return "held by " + holder + " since " + (acquired == null ? "an unknown time" : acquired)
                + ", expires " + (expires == null ? "never" : expires);
    }

    private static Instant time(String s) {
        try {
            return s == null ? null : Instant.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
