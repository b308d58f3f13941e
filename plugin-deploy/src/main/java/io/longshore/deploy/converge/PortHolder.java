package io.longshore.deploy.converge;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A container that publishes a host port now, as {@code GET /containers/json} lists it, with the
 * Swarm service, task and stack it belongs to (empty for a container started outside Swarm).
 * A stopped container lists no ports, so it holds none.
 *
 * @param port {@code 8080/tcp}
 */
public record PortHolder(String port, String container, String serviceId, String serviceName, String taskId, String stack) {
    /** One holder per published port of each container in {@code containers}. */
    public static List<PortHolder> of(List<JsonNode> containers) {
        List<PortHolder> out = new ArrayList<>();
        for (JsonNode c : containers) {
            JsonNode labels = c.path("Labels");
            String name = c.path("Names").path(0).asText(c.path("Id").asText()).replaceFirst("^/", "");
            for (JsonNode p : c.path("Ports")) {
                int published = p.path("PublicPort").asInt(0);
                String port = published + "/" + p.path("Type").asText("tcp");
                if (published > 0 && out.stream().noneMatch(h -> h.port.equals(port) && h.container.equals(name))) {
                    out.add(new PortHolder(port, name, labels.path("com.docker.swarm.service.id").asText(""),
                            labels.path("com.docker.swarm.service.name").asText(""), labels.path("com.docker.swarm.task.id").asText(""),
                            labels.path("com.docker.stack.namespace").asText("")));
                }
            }
        }
        return out;
    }

    /** The service's name for a Swarm task's container, else the container's. */
    public String name() {
        return serviceName.isEmpty() ? container : serviceName;
    }
}
