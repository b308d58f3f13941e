package io.longshore.deploy.recipe;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code export NAME=value} lines of a recipe's {@code abra.sh}, read as abra reads them into
 * the app's env (Co-op Cloud recipes set their config versions there). The file is never executed:
 * its functions are commands for abra's users, not part of a deploy. Only unindented lines that
 * start with {@code export} count; everything else (functions and their bodies, comments, plain
 * assignments) is ignored. Values are bare words or quoted, and {@code $VAR} references resolve as
 * in env files. An export line that cannot be read without running it is an error naming its line.
 */
public record AbraSh(Map<String, String> values) {
    public static final String FILE = "abra.sh";

    private static final Pattern EXPORT = Pattern.compile("export[ \\t]+(.*)");
    private static final Pattern ASSIGNMENT = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(.*)");
    /** A bare word: no blanks, quotes, command substitution, redirection or command separators. */
    private static final Pattern BARE = Pattern.compile("[^\\s\"'`;&|<>()\\\\]*");
    private static final Pattern COMMENT = Pattern.compile("(?:\\s+#.*)?\\s*");

    public AbraSh {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /**
     * Reads {@code text}; references resolve against {@code fixed}, then the file's earlier
     * exports, then {@code inherited} (the env file). Keys of {@code fixed} are not in the result.
     */
    public static AbraSh parse(String text, Map<String, String> inherited, Map<String, String> fixed) {
        String[] lines = text.split("\r?\n", -1);
        StringBuilder exports = new StringBuilder();
        for (int n = 0; n < lines.length; n++) {
            Matcher m = EXPORT.matcher(lines[n]);
            if (m.matches() && !m.group(1).startsWith("-")) {
                check(m.group(1).strip(), n + 1, lines[n].strip());
                exports.append(lines[n]);
            }
            exports.append('\n');
        }
        EnvFile parsed = EnvFile.parse(FILE, exports.toString(), inherited, fixed);
        Map<String, String> values = new LinkedHashMap<>(parsed.values());
        values.keySet().removeAll(fixed.keySet());
        return new AbraSh(values);
    }

    private static void check(String assignment, int line, String text) {
        Matcher a = ASSIGNMENT.matcher(assignment);
        if (!a.matches()) {
            throw malformed(line, text, "it is not export NAME=value");
        }
        String value = a.group(2);
        String tail;
        if (value.startsWith("\"") || value.startsWith("'")) {
            int close = closingQuote(value);
            if (close < 0) {
                throw malformed(line, text, "its quote is not closed on the line");
            }
            if (value.charAt(0) == '"' && (value.substring(0, close).contains("$(") || value.substring(0, close).contains("`"))) {
                throw malformed(line, text, "its value is the output of a command");
            }
            tail = value.substring(close + 1);
        } else {
            Matcher bare = BARE.matcher(value);
            bare.lookingAt();
            if (value.contains("$(") || value.contains("`")) {
                throw malformed(line, text, "its value is the output of a command");
            }
            tail = value.substring(bare.end());
        }
        if (!COMMENT.matcher(tail).matches()) {
            throw malformed(line, text, "it holds more than one word; quote a value with blanks");
        }
    }

    private static int closingQuote(String value) {
        char q = value.charAt(0);
        for (int i = 1; i < value.length(); i++) {
            char c = value.charAt(i);
            if (q == '"' && c == '\\') {
                i++;
            } else if (c == q) {
                return i;
            }
        }
        return -1;
    }

    private static RecipeException malformed(int line, String text, String why) {
        return new RecipeException(FILE + " line " + line + ": '" + text + "' cannot be read without running abra.sh: " + why
                + " (longshore reads its export NAME=value lines and never executes it)");
    }

    /** How many values the recipe's env took from this file. */
    public int count() {
        return values.size();
    }

    /** The names this file set, in file order. */
    public List<String> names() {
        return List.copyOf(values.keySet());
    }
}
