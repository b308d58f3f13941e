package io.longshore.kit.settings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The value forms every plugin accepts (PRODUCT.md "Settings"). Each parser throws
 * {@link IllegalArgumentException} with a message that states the accepted form; the launcher
 * prefixes it with the variable's name.
 */
public final class SettingFormats {
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([a-z]*)");

    public static final String BOOLEAN_FORM = "true/false, yes/no or 1/0";
    public static final String DURATION_FORM = "a duration such as 90s, 5m, 2h, 1h30m or bare seconds";
    public static final String SIZE_FORM = "a size such as 512MiB, 5GB or bare bytes";
    public static final String LIST_FORM = "a comma-separated list or a JSON array of strings";
    public static final String MAP_FORM = "a JSON object or KEY=VALUE,KEY=VALUE";

    private SettingFormats() {}

    /** Made for the first JSON value, not when a plugin starts: most settings are no JSON. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    public static boolean parseBoolean(String raw) {
        return switch (raw.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new IllegalArgumentException(quote(raw) + " is not a boolean; use " + BOOLEAN_FORM);
        };
    }

    public static int parseInt(String raw) {
        try {
            return Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(quote(raw) + " is not a whole number; use digits, e.g. 8");
        }
    }

    public static Duration parseDuration(String raw) {
        String s = raw.trim().toLowerCase(Locale.ROOT);
        if (s.matches("\\d+")) {
            return Duration.ofSeconds(Long.parseLong(s));
        }
        Matcher m = DURATION_PART.matcher(s);
        int at = 0;
        Duration total = Duration.ZERO;
        while (at < s.length() && m.find(at) && m.start() == at) {
            double n = Double.parseDouble(m.group(1));
            long unitMillis = switch (m.group(2)) {
                case "ms" -> 1L;
                case "s" -> 1_000L;
                case "m" -> 60_000L;
                case "h" -> 3_600_000L;
                default -> 86_400_000L;
            };
            total = total.plusMillis(Math.round(n * unitMillis));
            at = m.end();
        }
        if (s.isEmpty() || at != s.length()) {
            throw new IllegalArgumentException(quote(raw) + " is not a duration; use " + DURATION_FORM);
        }
        return total;
    }

    /**
     * A duration as a setting writes it: {@code 20s}, {@code 3m}, {@code 1h30m}, {@code 250ms},
     * {@code 1.5s}; never ISO-8601's {@code PT20S}. Every message, report and help text that shows
     * a duration uses this, and {@link #parseDuration} reads back what it prints.
     */
    public static String formatDuration(Duration d) {
        if (d.isNegative()) {
            return "-" + formatDuration(d.negated());
        }
        long millis = d.plusNanos(500_000).toMillis();
        if (millis == 0) {
            return "0s";
        }
        if (millis < 1_000) {
            return millis + "ms";
        }
        long hours = millis / 3_600_000;
        long minutes = millis / 60_000 % 60;
        long seconds = millis / 1_000 % 60;
        long rest = millis % 1_000;
        StringBuilder sb = new StringBuilder();
        if (hours > 0) {
            sb.append(hours).append('h');
        }
        if (minutes > 0) {
            sb.append(minutes).append('m');
        }
        if (seconds > 0 || rest > 0) {
            sb.append(seconds);
            if (rest > 0) {
                sb.append('.').append(String.format(Locale.ROOT, "%03d", rest).replaceFirst("0+$", ""));
            }
            sb.append('s');
        }
        return sb.toString();
    }

    public static DataSize parseSize(String raw) {
        String s = raw.trim().toLowerCase(Locale.ROOT);
        Matcher m = SIZE.matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException(quote(raw) + " is not a size; use " + SIZE_FORM);
        }
        long factor = switch (m.group(2)) {
            case "", "b" -> 1L;
            case "kb" -> 1_000L;
            case "mb" -> 1_000_000L;
            case "gb" -> 1_000_000_000L;
            case "tb" -> 1_000_000_000_000L;
            case "k", "ki", "kib" -> 1L << 10;
            case "m", "mi", "mib" -> 1L << 20;
            case "g", "gi", "gib" -> 1L << 30;
            case "t", "ti", "tib" -> 1L << 40;
            default -> throw new IllegalArgumentException(quote(raw) + " is not a size; use " + SIZE_FORM);
        };
        double bytes = Double.parseDouble(m.group(1)) * factor;
        if (bytes > Long.MAX_VALUE) {
            throw new IllegalArgumentException(quote(raw) + " is too large a size");
        }
        return new DataSize((long) bytes);
    }

    public static StringList parseList(String raw) {
        String s = raw.trim();
        List<String> out = new ArrayList<>();
        if (s.startsWith("[")) {
            JsonNode node = readJson(raw, LIST_FORM);
            if (!node.isArray()) {
                throw new IllegalArgumentException(quote(raw) + " is not a list; use " + LIST_FORM);
            }
            for (JsonNode item : node) {
                if (item.isContainerNode()) {
                    // structured items (e.g. test commands) stay JSON for the plugin to read
                    out.add(item.toString());
                } else if (!item.isNull()) {
                    out.add(item.asText());
                }
            }
            return new StringList(out);
        }
        for (String part : s.split(",")) {
            if (!part.isBlank()) {
                out.add(part.trim());
            }
        }
        return new StringList(out);
    }

    public static StringMap parseMap(String raw) {
        String s = raw.trim();
        Map<String, String> out = new LinkedHashMap<>();
        if (s.startsWith("{")) {
            JsonNode node = readJson(raw, MAP_FORM);
            if (!node.isObject()) {
                throw new IllegalArgumentException(quote(raw) + " is not a map; use " + MAP_FORM);
            }
            node.properties().forEach(e -> out.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString()));
            return new StringMap(out);
        }
        for (String part : s.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(quote(raw) + " is not a map (" + quote(part.trim()) + " has no KEY=); use " + MAP_FORM);
            }
            out.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
        }
        return new StringMap(out);
    }

    private static JsonNode readJson(String raw, String form) {
        try {
            return Json.MAPPER.readTree(raw);
        } catch (Exception e) {
            throw new IllegalArgumentException("the value is not valid JSON (" + firstLine(e.getMessage()) + "); use " + form);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    static String quote(String raw) {
        String s = raw.length() > 60 ? raw.substring(0, 57) + "..." : raw;
        return "'" + s + "'";
    }
}
