package io.longshore.kit.stack;

import io.longshore.kit.settings.SettingFormats;
import java.time.Duration;
import java.time.Instant;

/**
 * Which runs the janitor reaps: those whose {@code io.longshore.expires} has passed (or, with a
 * {@code ttl}, those created longer ago than that), except runs matching {@code protect}. Runs
 * whose labels cannot tell are kept: the janitor never guesses. Pure; tests use it directly.
 */
public record JanitorPolicy(Instant now, Duration ttl, Protect protect) {
    public JanitorPolicy {
        protect = protect == null ? Protect.none() : protect;
    }

    /** What the janitor does with one run, and why. */
    public record Verdict(RunSummary run, boolean reap, String reason) {}

    public Verdict decide(RunSummary run) {
        var glob = protect.matching(run.stack());
        if (glob.isPresent()) {
            return new Verdict(run, false, "protected by " + glob.get());
        }
        if (ttl != null) {
            if (run.created() == null) {
                return new Verdict(run, false, "no readable " + RunLabels.CREATED + " label to measure its age");
            }
            Instant limit = run.created().plus(ttl);
            return limit.isAfter(now)
                    ? new Verdict(run, false, "created " + run.created() + ", younger than ttl " + SettingFormats.formatDuration(ttl))
                    : new Verdict(run, true, "created " + run.created() + ", older than ttl " + SettingFormats.formatDuration(ttl));
        }
        if (run.expires() == null) {
            return new Verdict(run, false, run.unreadableExpiry()
                    ? "its " + RunLabels.EXPIRES + " label is not an RFC 3339 time"
                    : "no " + RunLabels.EXPIRES + " label");
        }
        return run.expires().isAfter(now)
                ? new Verdict(run, false, "expires " + run.expires())
                : new Verdict(run, true, "expired " + run.expires());
    }
}
