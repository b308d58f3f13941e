package io.longshore.kit.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The few ways the engine's JSON is read into the model: absent, null and the zero time are all "none". */
final class Json {
    private Json() {}

    static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isMissingNode() || v.isNull() ? null : v.asText();
    }

    static String textOr(JsonNode n, String field, String fallback) {
        String s = text(n, field);
        return s == null ? fallback : s;
    }

    static Integer integer(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isNumber() ? v.asInt() : null;
    }

    /** RFC 3339 as the engine writes it; null for absent, unparsable or Go's zero time. */
    static Instant time(JsonNode n, String field) {
        String s = text(n, field);
        if (s == null || s.isBlank() || s.startsWith("0001-")) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static Map<String, String> labels(JsonNode n) {
        if (n == null || !n.isObject() || n.isEmpty()) {
            return Map.of();
        }
        Map<String, String> m = new LinkedHashMap<>();
        n.properties().forEach(e -> m.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText()));
        return Collections.unmodifiableMap(m);
    }
}
