package io.longshore.deploy.recipe;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A recipe's env file, read as the recipes' tooling writes them: {@code KEY=value}, single and
 * double quotes, {@code #} comments (whole-line and after a value), an optional {@code export}, and
 * values that refer to keys set earlier ({@code COMPOSE_FILE="$COMPOSE_FILE:compose.db.yml"}).
 * Keys in {@code fixed} (overrides, {@code STACK_NAME}, {@code DOMAIN}) win over the file's lines.
 * A trailing {@code # length=N charset=hex|alnum} comment is kept per key: generated secrets use it.
 */
public record EnvFile(Map<String, String> values, Map<String, Integer> lengths, Map<String, SecretCharset> charsets,
                      List<String> warnings) {
    private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");
    private static final Pattern LENGTH = Pattern.compile("\\blength\\s*=\\s*(\\d+)");
    private static final Pattern CHARSET = Pattern.compile("\\bcharset\\s*=\\s*([^\\s,]+)");

    public EnvFile {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        lengths = Map.copyOf(lengths);
        charsets = Map.copyOf(charsets);
        warnings = List.copyOf(warnings);
    }

    /** Parses {@code text} (named {@code file} in messages); {@code fixed} values are in the result and win. */
    public static EnvFile parse(String file, String text, Map<String, String> fixed) {
        return parse(file, text, Map.of(), fixed);
    }

    /**
     * As {@link #parse(String, String, Map)}, where {@code $VAR} references may also name a key of
     * {@code inherited} (values read before this file), which are not part of the result.
     */
    public static EnvFile parse(String file, String text, Map<String, String> inherited, Map<String, String> fixed) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, Integer> lengths = new LinkedHashMap<>();
        Map<String, SecretCharset> charsets = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        Set<String> fixedKeys = fixed.keySet();
        String[] lines = text.split("\r?\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ") || line.startsWith("export\t")) {
                line = line.substring(7).stripLeading();
            }
            int eq = line.indexOf('=');
            String key = (eq < 0 ? line : line.substring(0, eq)).strip();
            if (!KEY.matcher(key).matches()) {
                warnings.add(file + " line " + (n + 1) + ": '" + lines[n].strip() + "' is not KEY=value; ignored");
                continue;
            }
            if (eq < 0) {
                continue;
            }
            String raw = line.substring(eq + 1).stripLeading();
            String value;
            String comment;
            int lineNo = n + 1;
            Interpolator refs = new Interpolator(k -> fixed.containsKey(k) ? fixed.get(k)
                    : values.containsKey(k) ? values.get(k) : inherited.get(k), k -> {});
            if (raw.startsWith("\"") || raw.startsWith("'")) {
                char q = raw.charAt(0);
                StringBuilder sb = new StringBuilder();
                int i = 1;
                boolean closed = false;
                while (i < raw.length()) {
                    char c = raw.charAt(i);
                    if (q == '"' && c == '\\' && i + 1 < raw.length()) {
                        char e = raw.charAt(i + 1);
                        sb.append(switch (e) {
                            case 'n' -> "\n";
                            case 't' -> "\t";
                            case '"', '\\', '$' -> (e == '$' ? "$$" : String.valueOf(e));
                            default -> "\\" + e;
                        });
                        i += 2;
                        continue;
                    }
                    if (c == q) {
                        closed = true;
                        break;
                    }
                    sb.append(c);
                    i++;
                }
                if (!closed) {
                    warnings.add(file + " line " + lineNo + ": unclosed quote in the value of " + key);
                }
                comment = closed ? raw.substring(i + 1) : "";
                value = q == '"' ? interpolate(refs, sb.toString(), file, lineNo) : sb.toString();
            } else {
                int hash = inlineComment(raw);
                comment = hash < 0 ? "" : raw.substring(hash);
                value = interpolate(refs, (hash < 0 ? raw : raw.substring(0, hash)).strip(), file, lineNo);
            }
            if (comment.contains("#")) {
                Matcher m = LENGTH.matcher(comment);
                if (m.find()) {
                    lengths.put(key, Integer.parseInt(m.group(1)));
                }
                Matcher c = CHARSET.matcher(comment);
                if (c.find()) {
                    String name = c.group(1);
                    SecretCharset.named(name).ifPresentOrElse(cs -> charsets.put(key, cs), () -> warnings.add(file + " line "
                            + lineNo + ": charset=" + name + " is not one longshore generates (alnum, hex); " + key
                            + " gets the default, alnum"));
                }
            }
            if (!fixedKeys.contains(key)) {
                values.put(key, value);
            }
        }
        values.putAll(fixed);
        return new EnvFile(values, lengths, charsets, warnings);
    }

    private static String interpolate(Interpolator refs, String value, String file, int line) {
        try {
            return refs.apply(value);
        } catch (MissingVariableException e) {
            throw new RecipeException(file + " line " + line + ": " + e.getMessage(), e);
        }
    }

    /** A {@code #} starts a comment after a value only when whitespace precedes it. */
    private static int inlineComment(String raw) {
        for (int i = 0; i < raw.length(); i++) {
            if (raw.charAt(i) == '#' && (i == 0 || Character.isWhitespace(raw.charAt(i - 1)))) {
                return i;
            }
        }
        return -1;
    }
}
