package io.longshore.deploy.plan;

import io.longshore.deploy.convert.DeployPlan;
import io.longshore.deploy.recipe.Recipe;

/**
 * One release of the recipe made concrete for the run: the workspace's, or the one at a git tag
 * (for an upgrade's starting point). {@code healthUrl} is the health URL interpolated with this
 * release's env, null when there is no health gate.
 */
public record ReleasePlan(String label, Recipe recipe, DeployPlan deploy, String healthUrl) {
    public static final String WORKSPACE = "workspace";

    public boolean workspace() {
        return WORKSPACE.equals(label);
    }

    /** {@code app-3f9c1a} or {@code app-3f9c1a at 1.0.0+1.0}. */
    public String describe() {
        return workspace() ? deploy.stack() : deploy.stack() + " at " + label;
    }
}
