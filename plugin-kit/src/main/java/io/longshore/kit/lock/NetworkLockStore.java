package io.longshore.kit.lock;

import com.fasterxml.jackson.databind.JsonNode;
import io.longshore.kit.engine.Engine;
import io.longshore.kit.engine.EngineApiException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A lock as a local network (internal bridge, no traffic), for an engine that is not a swarm
 * manager. The engine's duplicate-name check is not atomic under a race, so after creating, the
 * creator lists the name: the oldest network of that name holds the lock and any later one removes
 * itself.
 */
public final class NetworkLockStore implements LockStore {
    private final Engine engine;

    public NetworkLockStore(Engine engine) {
        this.engine = engine;
    }

    @Override
    public String kind() {
        return "network";
    }

    @Override
    public boolean tryCreate(String objectName, Map<String, String> labels) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Name", objectName);
        body.put("Driver", "bridge");
        body.put("Internal", true);
        body.put("CheckDuplicate", true);
        body.put("Labels", labels);
        String id;
        try {
            id = engine.post("/networks/create", body).path("Id").asText();
        } catch (EngineApiException e) {
            if (e.status() == 409) {
                return false;
            }
            throw e;
        }
        List<JsonNode> same = named(objectName);
        if (same.isEmpty() || id.equals(same.get(0).path("Id").asText())) {
            return true;
        }
        remove(id); // lost a create race to an older network of the same name
        return false;
    }

    @Override
    public Optional<LockRecord> read(String objectName) {
        List<JsonNode> same = named(objectName);
        if (same.isEmpty()) {
            return Optional.empty();
        }
        JsonNode n = same.get(0);
        return Optional.of(LockRecord.from(n.path("Id").asText(), objectName, ConfigLockStore.labels(n.path("Labels"))));
    }

    @Override
    public void remove(String id) {
        try {
            engine.delete("/networks/" + id);
        } catch (EngineApiException e) {
            if (e.status() != 404) {
                throw e;
            }
        }
    }

    /** Networks named exactly {@code objectName} (the API's name filter also matches substrings), oldest first. */
    private List<JsonNode> named(String objectName) {
        String filter = URLEncoder.encode("{\"name\":[\"" + objectName + "\"]}", StandardCharsets.UTF_8);
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode n : engine.get("/networks?filters=" + filter)) {
            if (objectName.equals(n.path("Name").asText())) {
                out.add(n);
            }
        }
        out.sort(Comparator.comparing((JsonNode n) -> created(n.path("Created").asText()))
                .thenComparing(n -> n.path("Id").asText()));
        return out;
    }

    private static Instant created(String s) {
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            return Instant.MAX;
        }
    }
}
