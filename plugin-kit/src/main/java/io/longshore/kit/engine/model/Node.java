package io.longshore.kit.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** A swarm node as {@code GET /nodes} lists it. */
public record Node(String id, String hostname, String role, String availability, String state, String address,
                   boolean leader, Map<String, String> labels) {
    public static Node from(JsonNode n) {
        JsonNode spec = n.path("Spec");
        return new Node(Json.textOr(n, "ID", ""), Json.textOr(n.path("Description"), "Hostname", ""), Json.textOr(spec, "Role", ""),
                Json.textOr(spec, "Availability", ""), Json.textOr(n.path("Status"), "State", ""),
                Json.textOr(n.path("Status"), "Addr", ""), n.path("ManagerStatus").path("Leader").asBoolean(false),
                Json.labels(spec.path("Labels")));
    }

    /** Label naming the Docker socket on this node when it is not {@code /var/run/docker.sock}. */
    public static final String DOCKER_SOCKET_LABEL = "io.longshore.docker-socket";
    public static final String DEFAULT_DOCKER_SOCKET = "/var/run/docker.sock";

    /** How a user tells it apart: its hostname, else its id. */
    public String displayName() {
        return hostname.isEmpty() ? id : hostname;
    }

    /** The path of the node's Docker socket, as its label or the default says. */
    public String dockerSocket() {
        String s = labels.get(DOCKER_SOCKET_LABEL);
        return s == null || s.isBlank() ? DEFAULT_DOCKER_SOCKET : s.trim();
    }

    /** Why a task cannot be placed on it now, or nothing when it takes tasks. */
    public java.util.Optional<String> whyNoTasks() {
        if (!"ready".equals(state)) {
            return java.util.Optional.of("is " + (state.isEmpty() ? "in an unknown state" : state));
        }
        if (!"active".equals(availability)) {
            return java.util.Optional.of("is " + (availability.equals("drain") ? "drained" : availability.equals("pause") ? "paused" : availability));
        }
        return java.util.Optional.empty();
    }

    /** Up and taking tasks. */
    public boolean usable() {
        return "ready".equals(state) && "active".equals(availability);
    }
}
