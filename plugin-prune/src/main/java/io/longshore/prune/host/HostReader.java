package io.longshore.prune.host;

import com.fasterxml.jackson.databind.JsonNode;
import io.longshore.kit.engine.Engine;
import io.longshore.kit.engine.EngineApiException;
import io.longshore.kit.engine.Filter;
import io.longshore.kit.engine.model.Service;
import io.longshore.kit.engine.model.Task;
import io.longshore.prune.plan.Inventory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the engine once for the gates and the plan, through the Engine API (no CLI). */
public final class HostReader {
    private final Engine engine;

    public HostReader(Engine engine) {
        this.engine = engine;
    }

    /** {@code /system/df}: containers with their writable-layer size, images, build cache — in one call. */
    public Inventory inventory() {
        JsonNode df = engine.get("/system/df");
        List<Inventory.ContainerInfo> containers = new ArrayList<>();
        for (JsonNode c : df.path("Containers")) {
            String name = c.path("Names").isArray() && !c.path("Names").isEmpty()
                    ? c.path("Names").get(0).asText().replaceFirst("^/", "") : c.path("Id").asText();
            containers.add(new Inventory.ContainerInfo(c.path("Id").asText(), name, text(c, "ImageID"), c.path("State").asText(),
                    Instant.ofEpochSecond(c.path("Created").asLong()), c.path("SizeRw").asLong(0), labels(c.path("Labels"))));
        }
        List<Inventory.ImageInfo> images = new ArrayList<>();
        for (JsonNode i : df.path("Images")) {
            List<String> tags = new ArrayList<>();
            i.path("RepoTags").forEach(t -> tags.add(t.asText()));
            images.add(new Inventory.ImageInfo(i.path("Id").asText(), tags, Instant.ofEpochSecond(i.path("Created").asLong()),
                    i.path("Size").asLong(0), Math.max(0, i.path("Containers").asInt(0)), labels(i.path("Labels"))));
        }
        List<Inventory.CacheInfo> cache = new ArrayList<>();
        for (JsonNode b : df.path("BuildCache")) {
            cache.add(new Inventory.CacheInfo(b.path("ID").asText(), b.path("Type").asText(), text(b, "Description"),
                    b.path("InUse").asBoolean(), b.path("Shared").asBoolean(), b.path("Size").asLong(0),
                    instant(b, "CreatedAt"), instant(b, "LastUsedAt")));
        }
        return new Inventory(containers, images, cache);
    }

    /** Swarm services; none when the engine is not a swarm manager. */
    public List<Service> services() {
        return swarmList(() -> engine.read().services(Filter.NONE));
    }

    public List<Task> tasks() {
        return swarmList(() -> engine.read().tasks(Filter.NONE));
    }

    /** A node that is not a swarm manager answers 503 for swarm lists: it has no services. */
    private static <T> List<T> swarmList(java.util.function.Supplier<List<T>> list) {
        try {
            return list.get();
        } catch (EngineApiException e) {
            if (e.status() == 503) {
                return List.of();
            }
            throw e;
        }
    }

    private static Map<String, String> labels(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node != null && node.isObject()) {
            node.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        }
        return out;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isMissingNode() || v.isNull() ? null : v.asText();
    }

    private static Instant instant(JsonNode n, String field) {
        String v = text(n, field);
        if (v == null || v.isBlank() || v.startsWith("0001-")) {
            return null;
        }
        return Instant.parse(v);
    }
}
