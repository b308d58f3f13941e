package io.longshore.kit.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Engine API request as the tolerance layer sees it: what it does to the engine, so that an
 * attempt whose answer was lost can be repeated without doing it twice. Built from the method,
 * path and body alone (pure); {@link TolerantTransport} acts on the {@link Kind}.
 */
record EngineCall(String method, String path, String route, Kind kind) {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** docker-java prefixes its paths with the API version; the kit's own calls do not. */
    private static final Pattern VERSION = Pattern.compile("^/v\\d+\\.\\d+(?=/)");
    private static final Pattern CREATE = Pattern.compile("^/(networks|secrets|configs|services|containers)/create$");
    private static final Pattern UPDATE = Pattern.compile("^/services/([^/]+)/update$");
    private static final Pattern REMOVE = Pattern.compile("^/(services|secrets|configs|networks|volumes|containers|images)/([^/]+)$");
    /** Writes whose repetition changes nothing more than the first did. */
    private static final Pattern REPEATABLE = Pattern.compile("^/(volumes/create|images/create|containers/[^/]+/(stop|start|kill|exec)"
            + "|(images|containers|build|networks|volumes)/prune)$");
    private static final Pattern STARTS = Pattern.compile("^/containers/[^/]+/(start|exec)$");
    private static final Pattern STREAM = Pattern.compile("^/(events|exec/[^/]+/start|containers/[^/]+/(attach|wait)|session|build)$");

    /** What a request does, as far as repeating it is concerned. */
    sealed interface Kind {
        /** A read, or a write whose repetition changes nothing more (stop, pull, prune, volume create). */
        record Repeatable() implements Kind {}

        /** Creates one named object: repeated only after looking whether the first attempt made it. */
        record Create(String kind, String name, Map<String, String> labels) implements Kind {}

        /** Removes one object: repeated, and gone (404) on a repeat counts as removed. */
        record Remove(String kind, String id) implements Kind {}

        /** Updates a service at a version index: repeated only while the service still has that version. */
        record Update(String id, long version) implements Kind {}

        /** A stream (exec start, attach, events, logs that follow): a single attempt, never repeated. */
        record Stream() implements Kind {}

        /** Anything else: repeated only when the engine cannot have received it. */
        record Once() implements Kind {}
    }

    static EngineCall of(String method, String path, byte[] body) {
        String m = method.toUpperCase(java.util.Locale.ROOT);
        int q = path.indexOf('?');
        String query = q < 0 ? "" : path.substring(q + 1);
        String p = VERSION.matcher(q < 0 ? path : path.substring(0, q)).replaceFirst("");
        return new EngineCall(m, path, p, kind(m, p, query, body));
    }

    private static Kind kind(String method, String path, String query, byte[] body) {
        if (STREAM.matcher(path).matches() || (path.endsWith("/logs") && follows(query))) {
            return new Kind.Stream();
        }
        switch (method) {
            case "GET", "HEAD" -> {
                return new Kind.Repeatable();
            }
            case "DELETE" -> {
                Matcher r = REMOVE.matcher(path);
                return r.matches() ? new Kind.Remove(singular(r.group(1)), r.group(2)) : new Kind.Once();
            }
            case "POST" -> {
                if (REPEATABLE.matcher(path).matches()) {
                    return new Kind.Repeatable();
                }
                Matcher c = CREATE.matcher(path);
                if (c.matches()) {
                    JsonNode spec = parse(body);
                    String name = c.group(1).equals("containers") ? param(query, "name") : spec.path("Name").asText(null);
                    if (name == null || name.isBlank()) {
                        return new Kind.Once(); // an unnamed object cannot be looked for
                    }
                    return new Kind.Create(singular(c.group(1)), name, labels(spec.path("Labels")));
                }
                Matcher u = UPDATE.matcher(path);
                String version = param(query, "version");
                if (u.matches() && version != null && version.matches("\\d+")) {
                    return new Kind.Update(u.group(1), Long.parseLong(version));
                }
                return new Kind.Once();
            }
            default -> {
                return new Kind.Once();
            }
        }
    }

    /** Makes the engine create or start something: refused once the process is ending (it would outlive the run). */
    boolean createsOrStarts() {
        return kind instanceof Kind.Create || kind instanceof Kind.Update || (method.equals("POST")
                && (STARTS.matcher(route).matches() || route.endsWith("/create") && !route.equals("/images/create")));
    }

    boolean read() {
        return method.equals("GET") || method.equals("HEAD");
    }

    /** For messages: {@code create secret app_db_v1}, {@code remove config 3f9c...}, {@code GET /tasks}. */
    String describe() {
        return switch (kind) {
            case Kind.Create c -> "create " + c.kind() + " " + c.name();
            case Kind.Remove r -> "remove " + r.kind() + " " + r.id();
            case Kind.Update u -> "update service " + u.id();
            default -> method + " " + shortPath();
        };
    }

    /** The path without its query (filters can be long). */
    String shortPath() {
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }

    private static boolean follows(String query) {
        String f = param(query, "follow");
        return f != null && (f.equals("1") || f.equalsIgnoreCase("true"));
    }

    private static String param(String query, String name) {
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (key.equals(name)) {
                return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static String singular(String plural) {
        return plural.substring(0, plural.length() - 1);
    }

    private static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode n = JSON.readTree(body);
            return n == null ? JSON.createObjectNode() : n;
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    static Map<String, String> labels(JsonNode n) {
        Map<String, String> m = new LinkedHashMap<>();
        if (n != null && n.isObject()) {
            n.properties().forEach(e -> m.put(e.getKey(), e.getValue().asText()));
        }
        return m;
    }
}
