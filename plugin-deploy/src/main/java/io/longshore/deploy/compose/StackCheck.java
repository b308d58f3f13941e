package io.longshore.deploy.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.longshore.deploy.recipe.Interpolator;
import io.longshore.deploy.recipe.MissingVariableException;
import io.longshore.deploy.recipe.RecipeException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What {@code docker stack deploy} and the engine would refuse in a merged compose model, found
 * before anything is created and said with the file and line it comes from: a service that uses
 * a secret, config, network or volume no file defines (the CLI's "undefined secret"), and a
 * secret, config, network or volume name the engine does not accept once interpolated, with the
 * variable that made it so (Co-op Cloud recipes leave config versions to {@code abra.sh}; without
 * them names end in {@code _}).
 */
public final class StackCheck {
    /** swarmkit's rule for secret and config names ({@code validateConfigOrSecretAnnotations}). */
    private static final Pattern FILE_OBJECT_NAME = Pattern.compile("[a-zA-Z0-9]+(?:[a-zA-Z0-9-_.]*[a-zA-Z0-9])?");
    private static final int FILE_OBJECT_MAX = 64;
    /** swarmkit's rule for the names of the networks a stack creates ({@code validateAnnotations}: a DNS label). */
    private static final Pattern NETWORK_NAME = Pattern.compile("[a-zA-Z0-9](?:[-_]*[A-Za-z0-9]+)*");
    private static final int NETWORK_MAX = 63;
    /** The local volume driver's rule ({@code volume/local}: the first character, then at least one more). */
    private static final Pattern VOLUME_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]+");
    private static final String DEFAULT_NETWORK = "default";

    private final ComposeProject project;
    private final String stack;
    private final Map<String, String> env;

    private StackCheck(ComposeProject project, String stack, Map<String, String> env) {
        this.project = project;
        this.stack = stack;
        this.env = env;
    }

    /** Throws a {@link RecipeException} for the first refusal found: references first, then names. */
    public static void check(ComposeProject project, String stack, Map<String, String> env) {
        StackCheck c = new StackCheck(project, stack, env);
        c.references();
        c.names();
    }

    private void references() {
        ObjectNode model = project.model();
        for (Map.Entry<String, JsonNode> e : new TreeMap<>(fields(obj(model, "services"))).entrySet()) {
            String service = e.getKey();
            JsonNode s = e.getValue();
            for (String kind : List.of("secrets", "configs")) {
                for (JsonNode ref : s.path(kind)) {
                    String source = ref.path("source").asText();
                    if (!obj(model, kind).has(source)) {
                        throw undefined(service, kind, source);
                    }
                }
            }
            if (s.get("networks") instanceof ObjectNode nets) {
                nets.fieldNames().forEachRemaining(n -> {
                    if (!n.equals(DEFAULT_NETWORK) && !obj(model, "networks").has(n)) {
                        throw undefined(service, "networks", n);
                    }
                });
            }
            for (JsonNode v : s.path("volumes")) {
                String source = v.path("source").asText("");
                if (v.path("type").asText("volume").equals("volume") && !source.isEmpty() && !obj(model, "volumes").has(source)) {
                    throw undefined(service, "volumes", source);
                }
            }
        }
    }

    private RecipeException undefined(String service, String kind, String name) {
        String singular = kind.substring(0, kind.length() - 1);
        String where = project.origin("services." + service + "." + kind + "." + name)
                .or(() -> project.origin("services." + service)).map(o -> " (" + o.where() + ")").orElse("");
        return new RecipeException("service " + service + ": undefined " + singular + " \"" + name + "\"" + where
                + ": no compose file defines it under " + kind + ":, and docker stack deploy refuses it too");
    }

    private void names() {
        ObjectNode model = project.model();
        for (String kind : List.of("secrets", "configs")) {
            fields(obj(model, kind)).forEach((key, def) -> check(kind, key, def, FILE_OBJECT_NAME, FILE_OBJECT_MAX,
                    "the engine accepts at most 64 characters of a-z, A-Z, 0-9, '-', '_' and '.', starting and ending with a letter or digit"));
        }
        Set<String> used = new LinkedHashSet<>();
        fields(obj(model, "services")).forEach((name, s) -> {
            if (s.get("networks") instanceof ObjectNode nets && !nets.isEmpty()) {
                nets.fieldNames().forEachRemaining(used::add);
            } else {
                used.add(DEFAULT_NETWORK);
            }
        });
        for (String key : used) {
            JsonNode def = obj(obj(model, "networks"), key);
            String driver = def.path("driver").asText("");
            if (!def.path("external").asBoolean(false) && (driver.isEmpty() || driver.equals("overlay"))) {
                check("networks", key, def, NETWORK_NAME, NETWORK_MAX,
                        "the engine accepts at most 63 letters, digits, '-' and '_' for a swarm network, starting and ending with a letter or digit");
            }
        }
        fields(obj(model, "volumes")).forEach((key, def) -> {
            String driver = def.path("driver").asText("");
            if (!def.path("external").asBoolean(false) && (driver.isEmpty() || driver.equals("local"))) {
                check("volumes", key, def, VOLUME_NAME, Integer.MAX_VALUE,
                        "the local volume driver accepts a-z, A-Z, 0-9, '_', '.' and '-', at least two, starting with a letter or digit");
            }
        });
    }

    private void check(String kind, String key, JsonNode def, Pattern rule, int max, String ruleText) {
        boolean named = def.hasNonNull("name");
        String name = named ? def.get("name").asText() : stack + "_" + key;
        if (name.length() <= max && rule.matcher(name).matches()) {
            return;
        }
        String path = kind + "." + key + (named ? ".name" : "");
        Origin origin = project.origin(path).orElse(null);
        String where = origin == null ? "" : " (" + origin.where() + ")";
        String reason = ruleText;
        if (named && origin != null) {
            List<String> blamed = blame(origin.raw());
            if (!blamed.isEmpty()) {
                reason = String.join(" and ", blamed.stream().map(v -> v + (env.get(v) == null ? " is not set" : " is empty")).toList())
                        + hint(kind, blamed);
            }
        }
        throw new RecipeException(path + where + (named ? " interpolates to `" : " becomes the name `") + name + "`: " + reason);
    }

    /** The variables {@code raw} refers to that are unset or empty. */
    private List<String> blame(String raw) {
        List<String> out = new ArrayList<>();
        try {
            new Interpolator(v -> {
                String value = env.get(v);
                if (value != null && value.isEmpty() && !out.contains(v)) {
                    out.add(v);
                }
                return value;
            }, v -> {
                if (!out.contains(v)) {
                    out.add(v);
                }
            }).apply(raw);
        } catch (MissingVariableException e) {
            // the reader already refused a malformed expression; nothing more to blame
        }
        return out;
    }

    private static String hint(String kind, List<String> blamed) {
        if (blamed.stream().noneMatch(v -> v.endsWith("_VERSION"))) {
            return "";
        }
        return kind.equals("configs") ? " (Co-op Cloud recipes set config versions in abra.sh)"
                : kind.equals("secrets") ? " (Co-op Cloud recipes set secret versions in the env file, e.g. " + blamed.getFirst() + "=v1)"
                : "";
    }

    private static ObjectNode obj(JsonNode parent, String field) {
        return parent.get(field) instanceof ObjectNode o ? o : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    }

    private static Map<String, JsonNode> fields(ObjectNode o) {
        Map<String, JsonNode> out = new java.util.LinkedHashMap<>();
        o.properties().forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }
}
