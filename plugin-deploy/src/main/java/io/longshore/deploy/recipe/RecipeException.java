package io.longshore.deploy.recipe;

/** The recipe cannot be read as written: the message names the file, the line and what is wrong. */
public final class RecipeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RecipeException(String message) {
        super(message);
    }

    public RecipeException(String message, Throwable cause) {
        super(message, cause);
    }
}
