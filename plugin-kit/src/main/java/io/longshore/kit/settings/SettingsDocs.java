package io.longshore.kit.settings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;

/**
 * Keeps the settings tables in the README and in each plugin's {@code docs.md} generated from the
 * same declarations as {@code --help}. A document carries the table between
 * {@code <!-- BEGIN settings:NAME -->} and {@code <!-- END settings:NAME -->}; each plugin's test
 * calls {@link #sync} and fails when the text drifted ({@code scripts/docs} rewrites it).
 */
public final class SettingsDocs {
    /** Set to {@code true} (by scripts/docs) to rewrite drifted sections instead of failing. */
    public static final String UPDATE_PROPERTY = "longshore.docs.update";

    private SettingsDocs() {}

    /** The markdown table of a plugin command's settings, from its declarations alone (no environment). */
    public static String table(Object command) {
        CommandLine cli = new CommandLine(command);
        return SettingsTable.markdown(SettingsBinder.settings(cli.getCommandSpec()));
    }

    public static String name(Object command) {
        return new CommandLine(command).getCommandSpec().name();
    }

    /**
     * Makes the section {@code settings:<plugin>} of {@code file} equal to the generated table.
     *
     * @throws IllegalStateException when the section is missing, or drifted and updating is off
     */
    public static void sync(Path file, Object command, boolean update) throws IOException {
        String plugin = name(command);
        String begin = "<!-- BEGIN settings:" + plugin + " -->";
        String end = "<!-- END settings:" + plugin + " -->";
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int b = text.indexOf(begin);
        int e = text.indexOf(end);
        if (b < 0 || e < b) {
            throw new IllegalStateException(file + " has no " + begin + " ... " + end + " section for the settings table");
        }
        String wanted = begin + "\n" + table(command) + end;
        String current = text.substring(b, e + end.length());
        if (current.equals(wanted)) {
            return;
        }
        if (!update) {
            throw new IllegalStateException("the settings table of " + plugin + " in " + file
                    + " differs from the declarations; run scripts/docs to regenerate it");
        }
        Files.writeString(file, text.substring(0, b) + wanted + text.substring(e + end.length()), StandardCharsets.UTF_8);
    }

    /** Woodpecker's plugin index reads these keys from a docs page's front matter. */
    public static final List<String> FRONT_MATTER_KEYS =
            List.of("name", "description", "author", "tags", "containerImage", "containerImageUrl", "url");

    /** The front matter keys missing from a docs page (empty when it is complete). */
    public static List<String> missingFrontMatter(Path docs) throws IOException {
        String text = Files.readString(docs, StandardCharsets.UTF_8);
        if (!text.startsWith("---\n") || text.indexOf("\n---\n", 4) < 0) {
            return FRONT_MATTER_KEYS;
        }
        String head = text.substring(4, text.indexOf("\n---\n", 4) + 1);
        return FRONT_MATTER_KEYS.stream().filter(k -> !head.contains("\n" + k + ":") && !head.startsWith(k + ":")).toList();
    }
}
