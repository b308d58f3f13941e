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

    /** Up and taking tasks. */
    public boolean usable() {
        return "ready".equals(state) && "active".equals(availability);
    }
}
