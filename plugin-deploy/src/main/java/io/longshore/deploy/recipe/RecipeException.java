package io.longshore.deploy.recipe;

import io.longshore.kit.run.Outcome;

/**
 * The recipe cannot be read as written: the message names the file, the line and what is wrong.
 * It carries the setting whose value led there ({@code --recipe} unless a more precise one is
 * known), so that the refusal names its {@code PLUGIN_} variable.
 */
public final class RecipeException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** The setting that chose the recipe, for an error in what the recipe holds. */
    public static final String RECIPE = "--recipe";

    private final String setting;

    public RecipeException(String message) {
        this(RECIPE, message, null);
    }

    public RecipeException(String message, Throwable cause) {
        this(RECIPE, message, cause);
    }

    private RecipeException(String setting, String message, Throwable cause) {
        super(message, cause);
        this.setting = setting;
    }

    /** An error in the value of {@code setting} itself (e.g. {@code --env-file}). */
    public static RecipeException of(String setting, String message, Throwable cause) {
        return new RecipeException(setting, message, cause);
    }

    /** The long option of the setting this error refuses. */
    public String setting() {
        return setting;
    }

    /** Exit 2, naming the setting's variable. */
    public Outcome invalid() {
        return Outcome.invalid(setting, getMessage());
    }
}
