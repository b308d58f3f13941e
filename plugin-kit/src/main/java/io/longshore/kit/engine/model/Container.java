package io.longshore.kit.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A container as {@code GET /containers/json?all=1} lists it on the connected engine (containers
 * are node-local). Swarm's task containers carry the service and task IDs as labels.
 */
public record Container(String id, String name, String image, String imageId, String state, Instant created,
                        Map<String, String> labels, List<PublishedPort> ports, long sizeRw) {
    public static final String SWARM_TASK_ID = "com.docker.swarm.task.id";
    public static final String SWARM_SERVICE_ID = "com.docker.swarm.service.id";
    public static final String SWARM_SERVICE_NAME = "com.docker.swarm.service.name";

    public Container {
        ports = List.copyOf(ports);
    }

    public static Container from(JsonNode n) {
        String name = n.path("Names").path(0).asText("").replaceFirst("^/", "");
        List<PublishedPort> ports = new ArrayList<>();
        n.path("Ports").forEach(p -> ports.add(PublishedPort.ofContainer(p)));
        return new Container(Json.textOr(n, "Id", ""), name.isEmpty() ? Json.textOr(n, "Id", "") : name, Json.textOr(n, "Image", ""),
                Json.text(n, "ImageID"), Json.textOr(n, "State", ""), Instant.ofEpochSecond(n.path("Created").asLong()),
                Json.labels(n.path("Labels")), ports, n.path("SizeRw").asLong(0));
    }

    public String label(String key) {
        return labels.get(key);
    }

    public String serviceId() {
        return labels.get(SWARM_SERVICE_ID);
    }

    public String taskId() {
        return labels.get(SWARM_TASK_ID);
    }

    public boolean running() {
        return "running".equals(state) || "restarting".equals(state) || "paused".equals(state);
    }

    /** Nothing runs in it any more. */
    public boolean stopped() {
        return "exited".equals(state) || "dead".equals(state) || "created".equals(state);
    }

    /** True when it holds {@code port}/{@code protocol} on the host. */
    public boolean publishes(int port, String protocol) {
        return ports.stream().anyMatch(p -> p.published() == port && p.protocol().equalsIgnoreCase(protocol));
    }

    public String shortId() {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }
}
