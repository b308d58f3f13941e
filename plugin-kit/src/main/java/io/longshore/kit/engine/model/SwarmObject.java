package io.longshore.kit.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

/**
 * A secret or a config as {@code GET /secrets} and {@code GET /configs} list them. {@code data} is a
 * config's content (base64, as the engine sends it); the engine never sends a secret's.
 */
public record SwarmObject(String id, long version, String name, Map<String, String> labels, Instant created, String data) {
    public static SwarmObject from(JsonNode n) {
        JsonNode spec = n.path("Spec");
        return new SwarmObject(Json.textOr(n, "ID", ""), n.path("Version").path("Index").asLong(), Json.textOr(spec, "Name", ""),
                Json.labels(spec.path("Labels")), Json.time(n, "CreatedAt"), Json.text(spec, "Data"));
    }

    /** The content, or null when the engine did not send it. */
    public byte[] bytes() {
        return data == null ? null : Base64.getDecoder().decode(data);
    }
}
