package io.longshore.deploy.recipe;

import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Variable substitution as compose does it: {@code $VAR}, {@code ${VAR}}, {@code ${VAR:-default}},
 * {@code ${VAR-default}}, {@code ${VAR:?message}}, {@code ${VAR?message}}, {@code ${VAR:+alt}},
 * {@code ${VAR+alt}} and {@code $$} for a literal dollar. Defaults may themselves hold variables.
 * An unset variable without a default becomes empty and is reported to {@code unset}.
 */
public final class Interpolator {
    private final Function<String, String> lookup;
    private final Consumer<String> unset;
    private final boolean keepUnknown;

    /** {@code lookup} answers null for an unset variable. */
    public Interpolator(Function<String, String> lookup, Consumer<String> unset) {
        this(lookup, unset, false);
    }

    private Interpolator(Function<String, String> lookup, Consumer<String> unset, boolean keepUnknown) {
        this.lookup = lookup;
        this.unset = unset;
        this.keepUnknown = keepUnknown;
    }

    /**
     * For shell commands run in the stack (tests, seed, verify): the recipe's variables are
     * substituted, but a variable it does not set, and a form compose does not know
     * ({@code ${#x}}, {@code ${x%y}}), stay as written for the container's shell.
     */
    public static Interpolator forShell(Function<String, String> lookup) {
        return new Interpolator(lookup, name -> {}, true);
    }

    public String apply(String s) {
        if (s.indexOf('$') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != '$' || i + 1 >= s.length()) {
                out.append(c);
                i++;
                continue;
            }
            char n = s.charAt(i + 1);
            if (n == '$') {
                out.append('$');
                i += 2;
            } else if (n == '{') {
                int close = matchingBrace(s, i + 1);
                if (close < 0) {
                    throw new MissingVariableException(null, "invalid interpolation format: unclosed '${' in \"" + s + "\"");
                }
                out.append(braced(s.substring(i + 2, close), s));
                i = close + 1;
            } else if (isNameStart(n)) {
                int end = i + 1;
                while (end < s.length() && isNamePart(s.charAt(end))) {
                    end++;
                }
                out.append(valueOf(s.substring(i + 1, end)));
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private String braced(String body, String whole) {
        int end = 0;
        while (end < body.length() && isNamePart(body.charAt(end))) {
            end++;
        }
        String name = body.substring(0, end);
        if (keepUnknown && (name.isEmpty() || !isNameStart(name.charAt(0)) || lookup.apply(name) == null && !body.substring(end).matches(":?[-+?].*"))) {
            return "${" + body + "}";
        }
        if (name.isEmpty() || !isNameStart(name.charAt(0))) {
            throw new MissingVariableException(null, "invalid interpolation format: \"${" + body + "}\" in \"" + whole + "\"");
        }
        String rest = body.substring(end);
        String value = lookup.apply(name);
        if (rest.isEmpty()) {
            return valueOf(name);
        }
        boolean colon = rest.startsWith(":");
        String op = colon ? rest.substring(1, Math.min(2, rest.length())) : rest.substring(0, 1);
        String arg = rest.substring(colon ? 2 : 1);
        boolean missing = colon ? value == null || value.isEmpty() : value == null;
        return switch (op) {
            case "-" -> missing ? apply(arg) : value;
            case "+" -> missing ? "" : apply(arg);
            case "?" -> {
                if (missing) {
                    String msg = apply(arg);
                    throw new MissingVariableException(name, "required variable " + name + " is missing a value"
                            + (msg.isEmpty() ? "" : ": " + msg));
                }
                yield value;
            }
            default -> {
                if (keepUnknown) {
                    yield "${" + body + "}";
                }
                throw new MissingVariableException(null, "invalid interpolation format: \"${" + body + "}\" in \"" + whole + "\"");
            }
        };
    }

    private String valueOf(String name) {
        String v = lookup.apply(name);
        if (v == null && keepUnknown) {
            return "$" + name;
        }
        if (v == null) {
            unset.accept(name);
            return "";
        }
        return v;
    }

    private static int matchingBrace(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isNameStart(char c) {
        return c == '_' || Character.isLetter(c);
    }

    private static boolean isNamePart(char c) {
        return c == '_' || Character.isLetterOrDigit(c);
    }
}
