package io.longshore.kit.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An Engine API list filter ({@code ?filters={"label":["a=b"],"name":["x"]}}), built by term instead
 * of written as JSON by hand. Terms of one key match any of their values; keys all must match. The
 * engine's {@code name} filter matches substrings (and task names by prefix): callers that need an
 * exact name compare it again.
 */
public record Filter(Map<String, List<String>> terms) {
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final Filter NONE = new Filter(Map.of());

    public Filter {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        terms.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        terms = java.util.Collections.unmodifiableMap(copy);
    }

    public static Filter label(String keyOrKeyValue) {
        return NONE.and("label", keyOrKeyValue);
    }

    public static Filter label(String key, String value) {
        return label(key + "=" + value);
    }

    public static Filter name(String... names) {
        return NONE.and("name", names);
    }

    public static Filter service(Collection<String> idsOrNames) {
        return NONE.and("service", idsOrNames.toArray(String[]::new));
    }

    public static Filter service(String... idsOrNames) {
        return NONE.and("service", idsOrNames);
    }

    /** This filter with {@code values} added to {@code key}. */
    public Filter and(String key, String... values) {
        Map<String, List<String>> m = new LinkedHashMap<>(terms);
        List<String> list = new ArrayList<>(m.getOrDefault(key, List.of()));
        list.addAll(List.of(values));
        m.put(key, list);
        return new Filter(m);
    }

    public Filter andLabel(String keyOrKeyValue) {
        return and("label", keyOrKeyValue);
    }

    public boolean isEmpty() {
        return terms.isEmpty();
    }

    /** {@code filters=<url-encoded JSON>}, or the empty string for no filter. */
    public String query() {
        if (terms.isEmpty()) {
            return "";
        }
        try {
            return "filters=" + URLEncoder.encode(JSON.writeValueAsString(terms), StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a filter", e);
        }
    }

    /** {@code path} with this filter (and any other query already on it). */
    public String on(String path) {
        String q = query();
        if (q.isEmpty()) {
            return path;
        }
        return path + (path.contains("?") ? "&" : "?") + q;
    }
}
