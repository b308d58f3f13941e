package io.longshore.kit.settings;

import java.util.Locale;
import picocli.CommandLine.Model.OptionSpec;

/**
 * One setting as its declaration describes it: the long option, the {@code PLUGIN_*} variable,
 * the default, whether it is required or secret, and one line of meaning. Help, the README tables,
 * the typo warning and the error messages are all derived from this.
 */
public record Setting(String option, String variable, String defaultValue, boolean required, boolean secret,
                      String description, Class<?> type, Bounds bounds) {

    public static final String PREFIX = "PLUGIN_";

    /** A setting without {@link Bounds}. */
    public Setting(String option, String variable, String defaultValue, boolean required, boolean secret, String description,
                   Class<?> type) {
        this(option, variable, defaultValue, required, secret, description, type, null);
    }

    public static Setting of(OptionSpec spec) {
        String option = spec.longestName();
        String description = String.join(" ", spec.description()).trim();
        String def = spec.defaultValue();
        boolean secret = spec.type() == Secret.class;
        Bounds bounds = spec.userObject() instanceof java.lang.reflect.AnnotatedElement e ? e.getAnnotation(Bounds.class) : null;
        return new Setting(option, variableFor(option), secret ? null : def, spec.required(), secret, description, spec.type(), bounds);
    }

    /**
     * What is wrong with {@code value} under this setting's {@link Bounds} ("300 is out of range; use
     * a whole number from 1 to 256"), or empty when it is allowed or the setting has none.
     */
    public java.util.Optional<String> outOfBounds(Object value) {
        if (bounds == null || value == null) {
            return java.util.Optional.empty();
        }
        int low = bounds.min().isEmpty() ? 1 : compare(value, bounds.min());
        int high = bounds.max().isEmpty() ? -1 : compare(value, bounds.max());
        boolean ok = (bounds.aboveMin() ? low > 0 : low >= 0) && high <= 0;
        return ok ? java.util.Optional.empty() : java.util.Optional.of(written(value) + " is out of range; use " + form());
    }

    private int compare(Object value, String bound) {
        return switch (value) {
            case Integer i -> Long.compare(i, Long.parseLong(bound));
            case Long l -> Long.compare(l, Long.parseLong(bound));
            case java.time.Duration d -> d.compareTo(SettingFormats.parseDuration(bound));
            case DataSize s -> s.compareTo(SettingFormats.parseSize(bound));
            default -> throw new IllegalStateException(option + ": @Bounds on a " + type.getSimpleName() + " setting");
        };
    }

    private static String written(Object value) {
        return value instanceof java.time.Duration d ? SettingFormats.formatDuration(d) : String.valueOf(value);
    }

    /** The bounds in words, after the form: {@code  from 1 to 256}, {@code , longer than 0s}; empty without bounds. */
    private String range(boolean number) {
        if (bounds == null) {
            return "";
        }
        String min = bounds.min();
        String max = bounds.max();
        if (number && !min.isEmpty() && !max.isEmpty() && !bounds.aboveMin()) {
            return " from " + min + " to " + max;
        }
        StringBuilder sb = new StringBuilder();
        if (!min.isEmpty()) {
            sb.append(number ? " " : ", ").append(bounds.aboveMin() ? (number ? "greater than " : "longer than ") : "at least ").append(min);
        }
        if (!max.isEmpty()) {
            sb.append(sb.isEmpty() ? (number ? " " : ", ") : " and ").append("at most ").append(max);
        }
        return sb.toString();
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

    /**
     * What the declaration allows beyond the type, for the generated tables: {@code one of verify or
     * probe}, {@code from 1 to 256}, {@code longer than 0s}; empty when any value of the form is allowed.
     */
    public String allowed() {
        if (type.isEnum()) {
            return form();
        }
        boolean number = type == Integer.class || type == int.class || type == Long.class || type == long.class;
        return range(number).replaceFirst("^,? ", "");
    }

    /** The form a value must take, for help and for error messages. */
    public String form() {
        if (type == Boolean.class || type == boolean.class) {
            return SettingFormats.BOOLEAN_FORM;
        }
        if (type == java.time.Duration.class) {
            return SettingFormats.DURATION_FORM + range(false);
        }
        if (type == DataSize.class) {
            return SettingFormats.SIZE_FORM + range(false);
        }
        if (type == StringList.class) {
            return SettingFormats.LIST_FORM;
        }
        if (type == StringMap.class) {
            return SettingFormats.MAP_FORM;
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number" + range(true);
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
