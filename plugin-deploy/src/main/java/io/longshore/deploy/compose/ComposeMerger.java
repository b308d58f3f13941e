package io.longshore.deploy.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Merges normalised compose files in order, as compose merges overlays: scalars are overridden,
 * maps are merged key by key, {@code command}, {@code entrypoint} and {@code healthcheck.test} are
 * replaced, ports are merged by published port, volumes by target and secrets/configs by source (then sorted
 * as the docker CLI sorts them), logging options merge when the driver stays, and other lists
 * ({@code dns}, {@code cap_add}, placement constraints, ...) are appended without duplicates.
 */
public final class ComposeMerger {
    private static final Set<String> REPLACED = Set.of("command", "entrypoint", "test");

    private ComposeMerger() {}

    public static ObjectNode merge(List<ObjectNode> files) {
        ObjectNode base = files.isEmpty() ? JsonNodeFactory.instance.objectNode() : files.getFirst().deepCopy();
        for (ObjectNode override : files.subList(Math.min(1, files.size()), files.size())) {
            override.properties().forEach(e -> {
                String key = e.getKey();
                if (key.equals("services") && base.get("services") instanceof ObjectNode bs && e.getValue() instanceof ObjectNode os) {
                    os.properties().forEach(s -> {
                        if (bs.get(s.getKey()) instanceof ObjectNode existing && s.getValue() instanceof ObjectNode o) {
                            bs.set(s.getKey(), mergeService(existing, o));
                        } else {
                            bs.set(s.getKey(), s.getValue().deepCopy());
                        }
                    });
                } else {
                    base.set(key, mergeValue(key, base.get(key), e.getValue()));
                }
            });
        }
        return base;
    }

    static ObjectNode mergeService(ObjectNode base, ObjectNode override) {
        ObjectNode out = base.deepCopy();
        override.properties().forEach(e -> {
            String key = e.getKey();
            JsonNode b = out.get(key);
            JsonNode o = e.getValue();
            JsonNode merged = switch (key) {
                // keyed by the published port alone, as docker/cli's merge does: an overlay that publishes
                // a port in host mode replaces the base's ingress entry for it
                case "ports" -> keyed(b, o, p -> String.valueOf(p.path("published").asInt()),
                        Comparator.comparingInt(p -> p.path("published").asInt()));
                case "volumes" -> keyed(b, o, v -> v.path("target").asText(), Comparator.comparing(v -> v.path("target").asText()));
                case "secrets", "configs" -> keyed(b, o, v -> v.path("source").asText(), Comparator.comparing(v -> v.path("source").asText()));
                case "logging" -> mergeLogging(b, o);
                case "networks" -> mergeNetworks(b, o);
                default -> mergeValue(key, b, o);
            };
            out.set(key, merged);
        });
        return out;
    }

    private static JsonNode mergeValue(String key, JsonNode base, JsonNode override) {
        if (base instanceof ObjectNode b && override instanceof ObjectNode o) {
            ObjectNode out = b.deepCopy();
            o.properties().forEach(e -> out.set(e.getKey(), mergeValue(e.getKey(), out.get(e.getKey()), e.getValue())));
            return out;
        }
        if (base instanceof ArrayNode b && override instanceof ArrayNode o && !REPLACED.contains(key)) {
            ArrayNode out = b.deepCopy();
            for (JsonNode item : o) {
                if (!contains(out, item)) {
                    out.add(item);
                }
            }
            return out;
        }
        return override == null ? base : override.deepCopy();
    }

    private static boolean contains(ArrayNode a, JsonNode item) {
        for (JsonNode x : a) {
            if (x.equals(item)) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode keyed(JsonNode base, JsonNode override, Function<JsonNode, String> key, Comparator<JsonNode> order) {
        if (!(base instanceof ArrayNode b) || !(override instanceof ArrayNode o)) {
            return override.deepCopy();
        }
        Map<String, JsonNode> byKey = new LinkedHashMap<>();
        b.forEach(x -> byKey.put(key.apply(x), x));
        o.forEach(x -> byKey.put(key.apply(x), x));
        List<JsonNode> items = new ArrayList<>(byKey.values());
        items.sort(order);
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        items.forEach(x -> out.add(x.deepCopy()));
        return out;
    }

    private static JsonNode mergeLogging(JsonNode base, JsonNode override) {
        if (!(base instanceof ObjectNode b) || !(override instanceof ObjectNode o)) {
            return override.deepCopy();
        }
        String bd = b.path("driver").asText("");
        String od = o.path("driver").asText("");
        if (bd.equals(od) || bd.isEmpty() || od.isEmpty()) {
            return mergeValue("logging", b, o);
        }
        return o.deepCopy();
    }

    private static JsonNode mergeNetworks(JsonNode base, JsonNode override) {
        if (!(base instanceof ObjectNode b) || !(override instanceof ObjectNode o)) {
            return override.deepCopy();
        }
        ObjectNode out = b.deepCopy();
        o.properties().forEach(e -> {
            JsonNode existing = out.get(e.getKey());
            if (existing instanceof ObjectNode ex && e.getValue() instanceof ObjectNode ov) {
                ObjectNode m = ex.deepCopy();
                ov.properties().forEach(f -> m.set(f.getKey(), f.getValue().deepCopy()));
                out.set(e.getKey(), m);
            } else if (!e.getValue().isNull() || existing == null) {
                out.set(e.getKey(), e.getValue().deepCopy());
            }
        });
        return out;
    }
}
