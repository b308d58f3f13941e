package io.longshore.deploy.plan;

/**
 * The converter failed on a recipe it had read: a bug of longshore's, not a mistake in the recipe
 * (those are {@link io.longshore.deploy.recipe.RecipeException}, exit 2). Exit 1, with the file.
 */
public final class TranslationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TranslationException(String file, Throwable cause) {
        super("longshore could not translate " + file + ": " + describe(cause)
                + " (this is a bug in longshore; please report it with the recipe)", cause);
    }

    private static String describe(Throwable t) {
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
