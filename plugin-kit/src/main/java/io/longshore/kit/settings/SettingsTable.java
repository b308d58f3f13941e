package io.longshore.kit.settings;

import java.util.List;

/** Renders the settings of a plugin for {@code --help} and as the README's markdown table. */
public final class SettingsTable {
    private SettingsTable() {}

    public static String help(List<Setting> settings) {
        StringBuilder sb = new StringBuilder();
        sb.append("Settings (each an option and a variable; the option wins; empty means unset):\n");
        for (Setting s : settings) {
            sb.append("  ").append(s.option()).append("  ").append(s.variable());
            String def = defaultText(s);
            if (!def.isEmpty()) {
                sb.append("  [").append(def).append(']');
            }
            sb.append('\n');
            sb.append("      ").append(s.description());
            if (!s.description().endsWith(".")) {
                sb.append('.');
            }
            String form = s.form();
            if (!form.equals("text")) {
                sb.append(" Form: ").append(form).append('.');
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    public static String markdown(List<Setting> settings) {
        StringBuilder sb = new StringBuilder();
        sb.append("| setting | variable | default | meaning |\n");
        sb.append("|---|---|---|---|\n");
        for (Setting s : settings) {
            sb.append("| `").append(s.key()).append("` | `").append(s.variable()).append("` | ")
                    .append(escape(defaultText(s))).append(" | ").append(escape(meaning(s))).append(" |\n");
        }
        return sb.toString();
    }

    /** The description, with what the declaration allows when it restricts the form. */
    private static String meaning(Setting s) {
        String allowed = s.allowed();
        if (allowed.isEmpty()) {
            return s.description();
        }
        String d = s.description();
        return d + (d.endsWith(".") ? "" : ".") + " Allowed: " + allowed + ".";
    }

    private static String defaultText(Setting s) {
        if (s.required()) {
            return "required";
        }
        if (s.secret()) {
            return "secret";
        }
        return s.defaultValue() == null ? "" : s.defaultValue();
    }

    private static String escape(String s) {
        return s.replace("|", "\\|");
    }
}
