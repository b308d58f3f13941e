package io.longshore.kit.settings;

/**
 * A setting that is present but unusable: it carries the {@code PLUGIN_} variable it refuses, and
 * the launcher turns it into exit 2 with a summary that names that variable.
 */
public final class InvalidSettingException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String variable;
    private final String problem;

    public InvalidSettingException(String variable, String problem) {
        super(variable + ": " + problem);
        this.variable = variable;
        this.problem = problem;
    }

    /** For a setting declared as {@code --foo-bar}. */
    public static InvalidSettingException of(String longOption, String problem) {
        return new InvalidSettingException(Setting.variableFor(longOption), problem);
    }

    public String variable() {
        return variable;
    }

    /** What is wrong with the value, without the variable's name. */
    public String problem() {
        return problem;
    }
}
