package io.longshore.kit.settings;

import java.util.Locale;
import picocli.CommandLine.Model.OptionSpec;

/**
 * One setting as its declaration describes it: the long option, the {@code PLUGIN_*} variable,
 * the default, whether it is required or secret, and one line of meaning. Help, the README tables,
 * the typo warning and the error messages are all derived from this.
 */
public record Setting(String option, String variable, String defaultValue, boolean required, boolean secret,
                      String description, Class<?> type) {

    public static final String PREFIX = "PLUGIN_";

    public static Setting of(OptionSpec spec) {
        String option = spec.longestName();
        String description = String.join(" ", spec.description()).trim();
        String def = spec.defaultValue();
        boolean secret = spec.type() == Secret.class;
        return new Setting(option, variableFor(option), secret ? null : def, spec.required(), secret, description, spec.type());
    }

    /** {@code --foo-bar} → {@code PLUGIN_FOO_BAR}. */
    public static String variableFor(String longOption) {
        String bare = longOption.replaceFirst("^-+", "");
        return PREFIX + bare.replace('-', '_').toUpperCase(Locale.ROOT);
    }

    /** {@code PLUGIN_FOO_BAR} → {@code foo_bar}, the key a pipeline writes under {@code settings:}. */
    public String key() {
        return variable.substring(PREFIX.length()).toLowerCase(Locale.ROOT);
    }

    /** The form a value must take, for help and for error messages. */
    public String form() {
        if (type == Boolean.class || type == boolean.class) {
            return SettingFormats.BOOLEAN_FORM;
        }
        if (type == java.time.Duration.class) {
            return SettingFormats.DURATION_FORM;
        }
        if (type == DataSize.class) {
            return SettingFormats.SIZE_FORM;
        }
        if (type == StringList.class) {
            return SettingFormats.LIST_FORM;
        }
        if (type == StringMap.class) {
            return SettingFormats.MAP_FORM;
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type.isEnum()) {
            StringBuilder sb = new StringBuilder("one of ");
            Object[] constants = type.getEnumConstants();
            for (int i = 0; i < constants.length; i++) {
                sb.append(i == 0 ? "" : i == constants.length - 1 ? " or " : ", ").append(constants[i]);
            }
            return sb.toString();
        }
        return "text";
    }
}
