package io.longshore.deploy.recipe;

/** A required variable has no value, or a {@code ${...}} expression cannot be read. */
public final class MissingVariableException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String variable;

    public MissingVariableException(String variable, String message) {
        super(message);
        this.variable = variable;
    }

    /** The variable's name, or null for a malformed expression. */
    public String variable() {
        return variable;
    }
}
