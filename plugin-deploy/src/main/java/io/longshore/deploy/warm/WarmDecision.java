package io.longshore.deploy.warm;

import io.longshore.deploy.recipe.RecipeVersion;
import java.util.List;

/**
 * What one reconcile will do, decided from what it read (versions, longshore's record, the live
 * services, the release notes) before anything changes: what {@code dry_run} prints, and what
 * {@link WarmReconciler} then carries out.
 */
sealed interface WarmDecision {
    /** The sentence {@code dry_run} prints: what would happen. */
    String would();

    /** A reconcile stopped part-way: complete what it recorded. */
    record Resume(WarmState state) implements WarmDecision {
        public String would() {
            WarmState.Phase p = state.phase();
            return "complete the reconcile that stopped while " + p.action() + " " + p.from() + (p.to() == null ? "" : " → " + p.to());
        }
    }

    /** Nothing runs (or what runs is not a release of the recipe): deploy {@code target}. */
    record Fresh(RecipeVersion target) implements WarmDecision {
        public String would() {
            return "deploy " + target.tag() + " and check its health";
        }
    }

    /** Already on the latest release: check it (and redeploy it once when unhealthy). */
    record Steady(RecipeVersion current) implements WarmDecision {
        public String would() {
            return "check " + current.tag() + ", the latest release (noop when healthy; one redeploy when not)";
        }
    }

    /** The safety gate (or the free space) holds the app where it is; nothing changes. */
    record Hold(String result, String sentence, RecipeVersion current, RecipeVersion latest, String notes) implements WarmDecision {
        public String would() {
            return "stay on " + current.tag() + " (" + result + "): " + sentence;
        }
    }

    /** Upgrade behind the health gate, with a snapshot of {@code volumes} first when {@code snapshot}. */
    record Upgrade(RecipeVersion current, RecipeVersion latest, List<String> notesOf, List<String> volumes, boolean snapshot)
            implements WarmDecision {
        public String would() {
            return "upgrade " + current.tag() + " → " + latest.tag() + " behind the health gate"
                    + (snapshot ? ", after a snapshot of " + String.join(", ", volumes) : ", without a snapshot")
                    + ", rolling back to " + current.tag() + " if it fails";
        }
    }
}
