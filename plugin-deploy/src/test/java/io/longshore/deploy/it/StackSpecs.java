package io.longshore.deploy.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.longshore.kit.engine.Engine;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a stack looks like to {@code docker service inspect} (and network, config, secret inspect),
 * normalised so that two deploys of the same files under different stack names compare equal when
 * the engine holds the same specs: the stack name becomes {@code STACK} (in values and keys), object IDs and longshore's
 * own labels go, network IDs become names, zero values the engine reports for unset fields go (an
 * absent boolean and {@code false} are the same), and mounts are ordered by target (the CLI orders
 * them; mount order is the engine's business).
 */
final class StackSpecs {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StackSpecs() {}

    /** Each service's normalised spec, by its short name. */
    static Map<String, JsonNode> services(Engine engine, String stack) {
        Map<String, String> networkNames = new HashMap<>();
        engine.get("/networks").forEach(n -> networkNames.put(n.path("Id").asText(), n.path("Name").asText()));
        Map<String, JsonNode> out = new TreeMap<>();
        for (JsonNode s : engine.get("/services?filters=" + TestStacks.filter("label", "com.docker.stack.namespace=" + stack))) {
            JsonNode spec = normalise(s.path("Spec").deepCopy(), stack, networkNames);
            out.put(s.path("Spec").path("Name").asText().substring(stack.length() + 1), spec);
        }
        return out;
    }

    /**
     * Networks, configs or secrets of a stack, normalised like the services; of a network only
     * what the stack chose (driver, options, flags, labels), not what the engine allocated.
     */
    static Map<String, JsonNode> objects(Engine engine, String kind, String stack) {
        Map<String, JsonNode> out = new TreeMap<>();
        for (JsonNode o : engine.get("/" + kind + "?filters=" + TestStacks.filter("label", "com.docker.stack.namespace=" + stack))) {
            ObjectNode chosen;
            if (kind.equals("networks")) {
                chosen = JSON.createObjectNode();
                for (String f : List.of("Name", "Driver", "Internal", "Attachable", "Labels", "Options")) {
                    chosen.set(f, o.path(f).deepCopy());
                }
                if (chosen.get("Options") instanceof ObjectNode opts) {
                    opts.remove("com.docker.network.driver.overlay.vxlanid_list");
                }
            } else {
                chosen = (ObjectNode) o.path("Spec").deepCopy();
            }
            JsonNode n = normalise(chosen, stack, Map.of());
            out.put(n.path("Name").asText(), n);
        }
        return out;
    }

    static JsonNode normalise(JsonNode node, String stack, Map<String, String> networkNames) {
        if (node instanceof ObjectNode o) {
            Iterator<Map.Entry<String, JsonNode>> it = o.properties().iterator();
            List<String> drop = new ArrayList<>();
            Map<String, JsonNode> replace = new HashMap<>();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String key = e.getKey();
                JsonNode v = e.getValue();
                if (key.equals("SecretID") || key.equals("ConfigID") || key.startsWith("io.longshore.")) {
                    drop.add(key);
                    continue;
                }
                if (key.equals("Target") && v.isTextual() && networkNames.containsKey(v.asText())) {
                    v = TextNode.valueOf(networkNames.get(v.asText()));
                }
                JsonNode n = normalise(v, stack, networkNames);
                if (n instanceof ArrayNode mounts && key.equals("Mounts")) {
                    List<JsonNode> sorted = new ArrayList<>();
                    mounts.forEach(sorted::add);
                    sorted.sort(Comparator.comparing(m -> m.path("Target").asText()));
                    n = JSON.createArrayNode().addAll(sorted);
                }
                String normalisedKey = key.replace(stack, "STACK");
                if (n == null || !normalisedKey.equals(key)) {
                    // label keys carry the stack too (traefik.http.routers.<stack>.rule)
                    drop.add(key);
                }
                if (n != null) {
                    replace.put(normalisedKey, n);
                }
            }
            drop.forEach(o::remove);
            replace.forEach(o::set);
            return o.isEmpty() ? null : o;
        }
        if (node instanceof ArrayNode a) {
            ArrayNode out = JSON.createArrayNode();
            a.forEach(x -> {
                JsonNode n = normalise(x, stack, networkNames);
                if (n != null) {
                    out.add(n);
                }
            });
            return out.isEmpty() ? null : out;
        }
        if (node == null || node.isNull() || (node.isBoolean() && !node.asBoolean()) || (node.isNumber() && node.asDouble() == 0)) {
            return null;
        }
        if (node.isTextual()) {
            String t = node.asText();
            if (t.isEmpty()) {
                return null;
            }
            return TextNode.valueOf(t.replace(stack, "STACK"));
        }
        return node;
    }
}
