package io.longshore.kit.settings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
            List.of("name", "icon", "description", "author", "tags", "containerImage", "containerImageUrl", "url");

    /** The project's home; the images' {@code org.opencontainers.image.source} label names the same. */
    public static final String SOURCE = "https://github.com/longshore/longshore";

    /** Where a plugin's icon lives in the repository, relative to its root. */
    public static String iconPath(String plugin) {
        return "images/icons/" + plugin + ".svg";
    }

    /**
     * The front matter keys that follow from the plugin's name: its image, the image's registry page
     * (what the index links, not the source tree), its icon and the project's home. The others
     * (name, description, author, tags) are written by hand.
     */
    public static Map<String, String> derivedFrontMatter(Object command) {
        String plugin = name(command);
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("icon", "https://raw.githubusercontent.com/longshore/longshore/main/" + iconPath(plugin));
        keys.put("containerImage", "longshore/" + plugin);
        keys.put("containerImageUrl", "https://hub.docker.com/r/longshore/" + plugin);
        keys.put("url", SOURCE);
        return keys;
    }

    /**
     * Makes the derived keys of {@code docs}'s front matter equal to {@link #derivedFrontMatter}.
     *
     * @throws IllegalStateException when the page has no front matter, or a key drifted and updating is off
     */
    public static void syncFrontMatter(Path docs, Object command, boolean update) throws IOException {
        String text = Files.readString(docs, StandardCharsets.UTF_8);
        int end = text.startsWith("---\n") ? text.indexOf("\n---\n", 3) : -1;
        if (end < 0) {
            throw new IllegalStateException(docs + " has no front matter (--- ... ---) for Woodpecker's plugin index");
        }
        List<String> lines = new ArrayList<>(List.of(text.substring(4, end).split("\n", -1)));
        List<String> drifted = new ArrayList<>();
        derivedFrontMatter(command).forEach((key, value) -> {
            String wanted = key + ": " + value;
            int at = -1;
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).startsWith(key + ":")) {
                    at = i;
                }
            }
            if (at >= 0 && lines.get(at).equals(wanted)) {
                return;
            }
            drifted.add(key);
            if (at >= 0) {
                lines.set(at, wanted);
            } else {
                lines.add(after(lines, key), wanted);
            }
        });
        if (drifted.isEmpty()) {
            return;
        }
        if (!update) {
            throw new IllegalStateException("the front matter of " + docs + " differs from the declarations in " + drifted
                    + "; run scripts/docs to regenerate it");
        }
        Files.writeString(docs, "---\n" + String.join("\n", lines) + text.substring(end), StandardCharsets.UTF_8);
    }

    /** Where a missing key goes: after the key that precedes it in {@link #FRONT_MATTER_KEYS}, else last. */
    private static int after(List<String> lines, String key) {
        for (int k = FRONT_MATTER_KEYS.indexOf(key) - 1; k >= 0; k--) {
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).startsWith(FRONT_MATTER_KEYS.get(k) + ":")) {
                    return i + 1;
                }
            }
        }
        return lines.size();
    }

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
