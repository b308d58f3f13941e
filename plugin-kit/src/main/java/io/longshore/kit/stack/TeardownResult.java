package io.longshore.kit.stack;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a teardown of one run ended: the plan it carried out, the residue the verify found (empty
 * means verified clean) and how long it took. {@code dryRun} results carry the plan only.
 */
public record TeardownResult(String stack, TeardownPlan plan, List<Residue> residue, Duration took, boolean dryRun) {
    public TeardownResult {
        residue = List.copyOf(residue);
    }

    /** True when the verify found nothing of the run (a run that was already gone is clean too). */
    public boolean clean() {
        return residue.isEmpty();
    }

    /** One sentence for a summary line. */
    public String summary() {
        if (dryRun) {
            return plan.isEmpty() ? "run " + stack + " is already gone; nothing would be removed"
                    : "dry run: " + plan.objects().size() + " objects of run " + stack + " would be removed";
        }
        if (clean()) {
            return plan.isEmpty() ? "run " + stack + " was already gone"
                    : "run " + stack + " removed (" + plan.objects().size() + " objects) and verified clean";
        }
        return "run " + stack + " left " + residue.size() + " objects behind: "
                + String.join("; ", residue.stream().map(Residue::toString).toList());
    }

    /** For the JSON report. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("stack", stack);
        m.put("dryRun", dryRun);
        m.put(dryRun ? "wouldRemove" : "removed", plan.describe());
        m.put("residue", residue);
        m.put("clean", !dryRun && clean());
        m.put("durationMs", took.toMillis());
        return m;
    }
}
