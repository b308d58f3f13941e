package io.longshore.kit.lock;

import io.longshore.kit.engine.Engine;
import io.longshore.kit.engine.EngineApiException;
import io.longshore.kit.engine.model.SwarmObject;
import io.longshore.kit.stack.RunLabels;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** A lock as a swarm config: names are unique in the cluster and the manager answers 409 to a second create. */
public final class ConfigLockStore implements LockStore {
    private final Engine engine;

    public ConfigLockStore(Engine engine) {
        this.engine = engine;
    }

    @Override
    public String kind() {
        return "config";
    }

    @Override
    public boolean tryCreate(String objectName, Map<String, String> labels) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Name", objectName);
        body.put("Labels", labels);
        String data = "longshore host lock, " + labels + "\n";
        body.put("Data", Base64.getEncoder().encodeToString(data.getBytes(StandardCharsets.UTF_8)));
        try {
            engine.post("/configs/create", body);
            return true;
        } catch (EngineApiException e) {
            if (e.status() == 409) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public Optional<LockRecord> read(String objectName) {
        return engine.read().config(objectName).map(c -> LockRecord.from(c.id(), objectName, c.labels()));
    }

    @Override
    public void remove(String id) {
        try {
            engine.delete("/configs/" + id);
        } catch (EngineApiException e) {
            if (e.status() != 404) {
                throw e;
            }
        }
    }

    /** A config's labels are the one part of it the engine updates (its data is fixed): the expiry label moves. */
    @Override
    public boolean renew(LockRecord mine, java.time.Instant expires) {
        Optional<SwarmObject> now = engine.read().config(mine.id());
        if (now.isEmpty()) {
            return false;
        }
        SwarmObject c = now.get();
        Map<String, String> labels = new LinkedHashMap<>(c.labels());
        if (mine.token() == null || !mine.token().equals(labels.get(RunLabels.LOCK_TOKEN))) {
            return false;
        }
        labels.put(RunLabels.LOCK_EXPIRES, RunLabels.rfc3339(expires));
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("Name", c.name());
        spec.put("Labels", labels);
        spec.put("Data", c.data());
        try {
            engine.post("/configs/" + mine.id() + "/update?version=" + c.version(), spec);
            return true;
        } catch (EngineApiException e) {
            if (e.status() == 404) {
                return false;
            }
            throw e;
        }
    }
}
