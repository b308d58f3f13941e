package io.longshore.deploy.plan;

import io.longshore.deploy.recipe.Recipe;
import io.longshore.deploy.recipe.RecipeVersion;
import io.longshore.deploy.recipe.UpgradeSourceException;
import java.io.IOException;
import java.util.Optional;

/**
 * Where the planner gets the recipe's releases from: the workspace, and the recipe's git
 * repository for an upgrade's starting point. The planner itself reads nothing else.
 */
public interface Releases {
    /** The workspace's recipe for run {@code stack} (null: the recipe's default name) and {@code domain}. */
    Recipe workspace(String stack, String domain);

    /** The release {@code upgrade_from} names; empty when there is none (the stage is skipped). */
    Optional<RecipeVersion> upgradeSource(String upgradeFrom) throws UpgradeSourceException, IOException;

    /** The recipe as it was at {@code release}, for the same run and domain. */
    Recipe at(RecipeVersion release, String stack, String domain) throws UpgradeSourceException, IOException;
}
