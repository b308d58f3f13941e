package io.longshore.deploy.warm;

import io.longshore.kit.run.Outcome;
import java.util.List;

/**
 * How one reconcile ended. {@code result}: deployed, noop, upgraded, held-major, held-notes,
 * held-space, dry-run (exit 0); unhealthy, rolled-back, rollback-failed, failed (exit 1).
 */
public record WarmResult(String result, String sentence, String deployed, String latest, String lastGood, Alert alert,
                         List<String> snapshot) {
    static final List<String> OK = List.of("deployed", "noop", "upgraded", "held-major", "held-notes", "held-space", "dry-run");

    public WarmResult {
        snapshot = snapshot == null ? List.of() : List.copyOf(snapshot);
    }

    public Outcome outcome() {
        return OK.contains(result) ? new Outcome.Ok(result + ": " + sentence, this) : new Outcome.Failed(result + ": " + sentence, this);
    }
}
