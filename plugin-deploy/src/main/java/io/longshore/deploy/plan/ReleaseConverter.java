package io.longshore.deploy.plan;

import io.longshore.deploy.compose.ComposeProject;
import io.longshore.deploy.compose.StackCheck;
import io.longshore.deploy.convert.DeployPlan;
import io.longshore.deploy.recipe.Interpolator;
import io.longshore.deploy.recipe.Recipe;
import io.longshore.deploy.recipe.RecipeException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Turns one release of a recipe into its {@link ReleasePlan}: the compose files merged and converted
 * with the given labels, the health URL interpolated with the release's env. Warnings go to
 * {@code warnings}, prefixed with the release's label unless it is the workspace's.
 *
 * @param healthUrl the health URL as the setting has it, null when there is no health gate
 */
public record ReleaseConverter(boolean generateSecrets, String healthUrl, RunPlanner.Converter converter, List<String> warnings) {

    /**
     * @throws RecipeException the recipe is invalid (naming the file and line where it can)
     * @throws TranslationException the converter failed on it (a bug)
     */
    public ReleasePlan convert(String label, Recipe recipe, Map<String, String> labels) {
        return convert(label, recipe, project(label, recipe), labels);
    }

    /** A release's merged compose model, checked for what docker stack deploy or the engine would refuse. */
    public ComposeProject project(String label, Recipe recipe) {
        ComposeProject project = ComposeProject.load(recipe.composeFiles(), recipe.env());
        project.warnings().forEach(w -> warnings.add(prefix(label) + w));
        StackCheck.check(project, recipe.stack(), recipe.env());
        return project;
    }

    /** {@code project} (of {@code recipe}, checked) converted with {@code labels}. */
    public ReleasePlan convert(String label, Recipe recipe, ComposeProject project, Map<String, String> labels) {
        DeployPlan plan;
        try {
            plan = converter.convert(project.model(), recipe.stack(), labels, recipe.env(),
                    generateSecrets ? recipe.generatedSecrets() : List.of());
        } catch (RecipeException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new TranslationException(displayName(recipe), e);
        }
        plan.warnings().forEach(w -> warnings.add(prefix(label) + w));
        String url = null;
        if (healthUrl != null && !healthUrl.isBlank()) {
            url = new Interpolator(recipe.env()::get, v -> warnings.add(prefix(label) + "health_url: the variable " + v + " is not set"))
                    .apply(healthUrl);
        }
        return new ReleasePlan(label, recipe, plan, url);
    }

    private static String prefix(String label) {
        return ReleasePlan.WORKSPACE.equals(label) ? "" : label + ": ";
    }

    private static String displayName(Recipe recipe) {
        List<Path> files = recipe.composeFiles();
        return files.isEmpty() ? recipe.dir().toString()
                : String.join(", ", files.stream().map(f -> recipe.dir().relativize(f).toString()).toList());
    }
}
