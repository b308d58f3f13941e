package io.longshore.kit.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;

/** A network as {@code GET /networks} lists it. */
public record Network(String id, String name, String driver, String scope, boolean internal, boolean ingress,
                      Instant created, Map<String, String> labels) {
    public static Network from(JsonNode n) {
        return new Network(Json.textOr(n, "Id", ""), Json.textOr(n, "Name", ""), Json.textOr(n, "Driver", ""),
                Json.textOr(n, "Scope", ""), n.path("Internal").asBoolean(false), n.path("Ingress").asBoolean(false),
                Json.time(n, "Created"), Json.labels(n.path("Labels")));
    }
}
