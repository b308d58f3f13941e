package io.longshore.kit.settings;

/** A setting that is present but unusable; the launcher turns it into exit 2 naming the variable. */
public final class InvalidSettingException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String variable;

    public InvalidSettingException(String variable, String problem) {
        super(variable + ": " + problem);
        this.variable = variable;
    }

    /** For a setting declared as {@code --foo-bar}. */
    public static InvalidSettingException of(String longOption, String problem) {
        return new InvalidSettingException(Setting.variableFor(longOption), problem);
    }

    public String variable() {
        return variable;
    }
}
