package io.longshore.kit.lock;

import io.longshore.kit.engine.Engine;
import io.longshore.kit.engine.EngineApiException;
import io.longshore.kit.engine.Filter;
import io.longshore.kit.engine.model.Network;
import java.time.Instant;
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
 * itself. A network's labels cannot change, so a renewal is a second network,
 * {@code <lock>.renewed}, carrying the holder's token and the later expiry; the lock expires at the
 * latest expiry among its own and its holder's renewals.
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
        if (!oldest(objectName, id)) {
            remove(id); // lost a create race to an older network of the same name
            return false;
        }
        // The engine stamps a network's creation time before the network shows in listings, so a
        // concurrent taker with an older stamp may still be invisible: look again once that window
        // has passed, and yield if an older one appeared.
        try {
            Thread.sleep(SETTLE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            remove(id);
            return false;
        }
        if (!oldest(objectName, id)) {
            remove(id);
            return false;
        }
        return true;
    }

    /** Generous next to the engine's create path (milliseconds); paid only by the one who takes the lock. */
    static final java.time.Duration SETTLE = java.time.Duration.ofMillis(300);

    private boolean oldest(String objectName, String id) {
        List<Network> same = named(objectName);
        return same.isEmpty() || id.equals(same.getFirst().id());
    }

    @Override
    public Optional<LockRecord> read(String objectName) {
        List<Network> same = named(objectName);
        if (same.isEmpty()) {
            return Optional.empty();
        }
        Network n = same.getFirst();
        LockRecord lock = LockRecord.from(n.id(), objectName, n.labels());
        Instant expires = lock.expires();
        for (Network r : named(renewals(objectName))) {
            LockRecord renewal = LockRecord.from(r.id(), objectName, r.labels());
            if (lock.token() != null && lock.token().equals(renewal.token()) && expires != null && renewal.expires() != null
                    && renewal.expires().isAfter(expires)) {
                expires = renewal.expires();
            }
        }
        return Optional.of(new LockRecord(lock.id(), objectName, lock.holder(), lock.token(), lock.acquired(), expires));
    }

    /** A new renewal network with the later expiry, then the holder's older renewals go. */
    @Override
    public boolean renew(LockRecord mine, Instant expires) {
        Optional<LockRecord> now = read(mine.objectName());
        if (now.isEmpty() || mine.token() == null || !mine.token().equals(now.get().token())) {
            return false;
        }
        List<Network> older = named(renewals(mine.objectName()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Name", renewals(mine.objectName()));
        body.put("Driver", "bridge");
        body.put("Internal", true);
        body.put("Labels", Map.of(io.longshore.kit.stack.RunLabels.LOCK_TOKEN, mine.token(),
                io.longshore.kit.stack.RunLabels.LOCK_EXPIRES, io.longshore.kit.stack.RunLabels.rfc3339(expires)));
        engine.post("/networks/create", body);
        older.forEach(n -> remove(n.id()));
        return true;
    }

    /** The lock network and every renewal of it. */
    @Override
    public void remove(LockRecord record) {
        remove(record.id());
        named(renewals(record.objectName())).forEach(n -> remove(n.id()));
    }

    static String renewals(String objectName) {
        return objectName + ".renewed";
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
    private List<Network> named(String objectName) {
        List<Network> out = new ArrayList<>(engine.read().networks(Filter.name(objectName)).stream()
                .filter(n -> objectName.equals(n.name())).toList());
        out.sort(Comparator.comparing((Network n) -> n.created() == null ? Instant.MAX : n.created()).thenComparing(Network::id));
        return out;
    }
}
