package io.longshore.kit.stack;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a teardown of one run ended: the plan it carried out, the residue the verify found (empty
 * means verified clean) and how long it took. {@code dryRun} results carry the plan only.
 * {@code unlisted} says why the run could not even be listed (the engine stayed away past the
 * deadline); {@code reaper} says who will remove the residue (the janitor, or nobody but another
 * teardown when nothing left carries the run's label).
 */
public record TeardownResult(String stack, TeardownPlan plan, List<Residue> residue, Duration took, boolean dryRun,
                             String unlisted, String reaper) {
    public TeardownResult {
        residue = List.copyOf(residue);
    }

    public TeardownResult(String stack, TeardownPlan plan, List<Residue> residue, Duration took, boolean dryRun) {
        this(stack, plan, residue, took, dryRun, null, null);
    }

    /** True when the verify found nothing of the run (a run that was already gone is clean too). */
    public boolean clean() {
        return residue.isEmpty() && unlisted == null;
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
        if (residue.isEmpty()) {
            return "run " + stack + " could not be " + (plan.isEmpty() ? "torn down" : "verified") + ": " + unlisted + "; " + reaperSentence();
        }
        return "run " + stack + " left " + residue.size() + " objects behind" + (unlisted == null ? "" : " (not verified: " + unlisted + ")")
                + ": " + String.join("; ", residue.stream().map(Residue::toString).toList()) + "; " + reaperSentence();
    }

    /** What became of the run, for the end of a sentence that starts elsewhere (a cancelled run's). */
    public String aftermath() {
        if (clean() && !dryRun) {
            return plan.isEmpty() ? "nothing of " + stack + " was on the engine" : stack + " torn down and verified clean";
        }
        return summary();
    }

    private String reaperSentence() {
        return reaper != null ? reaper : "the janitor reaps what is left once the run expires";
    }

    /** For the JSON report. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("stack", stack);
        m.put("dryRun", dryRun);
        m.put(dryRun ? "wouldRemove" : "removed", plan.describe());
        m.put("residue", residue);
        if (unlisted != null) {
            m.put("unlisted", unlisted);
        }
        if (!clean() && !dryRun) {
            m.put("reaper", reaperSentence());
        }
        m.put("clean", !dryRun && clean());
        m.put("durationMs", took.toMillis());
        return m;
    }
}
