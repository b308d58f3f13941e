package io.longshore.deploy.recipe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A feature a recipe offers by a commented {@code #COMPOSE_FILE=...} line of its env file: how
 * operators pick overlays is by uncommenting that line and the commented {@code KEY=value} lines
 * right after it (the versions of the secrets the overlay needs, its settings). The block ends at
 * a blank line, an empty comment, a line that is not a comment, or the next commented
 * {@code COMPOSE_FILE}; comment prose inside it is skipped.
 *
 * @param line the line of the commented {@code COMPOSE_FILE=} (1-based)
 * @param lines every line the overlay uncomments, that one first
 * @param variables the other keys it sets, in file order
 * @param composeFiles the compose files the env names once the block is uncommented
 */
public record OptionalOverlay(int line, List<Integer> lines, List<String> variables, List<String> composeFiles) {
    private static final String COMPOSE_FILE = "COMPOSE_FILE";
    private static final Pattern COMMENTED_ASSIGNMENT = Pattern.compile("\\s*#+\\s*([A-Za-z_][A-Za-z0-9_]*)=.*");
    private static final Pattern EMPTY_COMMENT = Pattern.compile("\\s*#+\\s*");
    private static final Pattern COMMENT_MARK = Pattern.compile("^\\s*#+\\s*");

    public OptionalOverlay {
        lines = List.copyOf(lines);
        variables = List.copyOf(variables);
        composeFiles = List.copyOf(composeFiles);
    }

    /**
     * Every optional overlay of the env file {@code text}, in file order; {@code fixed} as for
     * {@link EnvFile#parse} (a fixed {@code COMPOSE_FILE} is left out: each overlay says its own).
     */
    public static List<OptionalOverlay> find(String file, String text, Map<String, String> fixed) {
        String[] all = text.split("\r?\n", -1);
        Map<String, String> without = new HashMap<>(fixed);
        without.remove(COMPOSE_FILE);
        List<OptionalOverlay> out = new ArrayList<>();
        for (int n = 0; n < all.length; n++) {
            if (!COMPOSE_FILE.equals(commentedKey(all[n]))) {
                continue;
            }
            List<Integer> lines = new ArrayList<>(List.of(n + 1));
            List<String> variables = new ArrayList<>();
            for (int k = n + 1; k < all.length; k++) {
                String l = all[k];
                if (l.isBlank() || !l.stripLeading().startsWith("#") || EMPTY_COMMENT.matcher(l).matches()
                        || COMPOSE_FILE.equals(commentedKey(l))) {
                    break;
                }
                String key = commentedKey(l);
                if (key != null) {
                    lines.add(k + 1);
                    variables.add(key);
                }
            }
            String files;
            try {
                files = EnvFile.parse(file, enable(all, Set.copyOf(lines)), without).values().getOrDefault(COMPOSE_FILE, "");
            } catch (RecipeException e) {
                // a block whose values cannot be read is still listed; deploying it says why
                files = "";
            }
            out.add(new OptionalOverlay(n + 1, lines, variables,
                    Arrays.stream(files.split(":")).map(String::strip).filter(s -> !s.isEmpty()).toList()));
        }
        return out;
    }

    /** {@code text} with this overlay's lines uncommented, as an operator enables it. */
    public String enable(String text) {
        return enable(text.split("\r?\n", -1), Set.copyOf(lines));
    }

    private static String enable(String[] all, Set<Integer> lines) {
        StringBuilder out = new StringBuilder();
        for (int n = 0; n < all.length; n++) {
            out.append(lines.contains(n + 1) ? COMMENT_MARK.matcher(all[n]).replaceFirst("") : all[n]);
            if (n + 1 < all.length) {
                out.append('\n');
            }
        }
        return out.toString();
    }

    /** The key of a commented {@code KEY=value} line, else null. */
    private static String commentedKey(String line) {
        Matcher m = COMMENTED_ASSIGNMENT.matcher(line);
        return m.matches() ? m.group(1) : null;
    }

    /** One line for dry_run: where it is, the files it deploys, and what else it sets. */
    public String describe(String file) {
        return file + " line " + line + ": " + String.join(":", composeFiles)
                + (variables.isEmpty() ? "" : " (with " + String.join(", ", variables) + ")");
    }
}
