package io.longshore.kit.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;

/** A volume as {@code GET /volumes} lists it on the connected engine (volumes are node-local). */
public record Volume(String name, String driver, String mountpoint, String scope, Instant created, Map<String, String> labels) {
    public static Volume from(JsonNode n) {
        return new Volume(Json.textOr(n, "Name", ""), Json.textOr(n, "Driver", "local"), Json.text(n, "Mountpoint"),
                Json.textOr(n, "Scope", "local"), Json.time(n, "CreatedAt"), Json.labels(n.path("Labels")));
    }
}
