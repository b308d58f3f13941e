package io.longshore.deploy.warm;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.longshore.kit.engine.Engine;
import io.longshore.kit.engine.EngineApiException;
import io.longshore.kit.engine.Filter;
import io.longshore.kit.engine.model.SwarmObject;
import io.longshore.kit.output.Report;
import io.longshore.kit.stack.RunLabels;
import java.io.IOException;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Keeps a warm app's {@link WarmState} on the engine, so the step needs no host path: each write is
 * a new swarm config {@code <stack>_longshore-warm-<n>} (configs cannot change) labelled with the
 * app and {@code n}; the highest {@code n} is the state, and older ones are removed once a newer
 * one exists. A write that fails leaves the previous state in force.
 */
public final class WarmStore {
    static final String SEQUENCE = "io.longshore.warm.state";
    private static final ObjectMapper JSON = Report.json().copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Engine engine;
    private final String stack;

    public WarmStore(Engine engine, String stack) {
        this.engine = engine;
        this.stack = stack;
    }

    private List<SwarmObject> records() {
        return engine.read().configs(Filter.label(RunLabels.WARM, stack).andLabel(SEQUENCE)).stream()
                .filter(c -> c.name().startsWith(stack + "_longshore-warm-"))
                .sorted(Comparator.comparingLong(WarmStore::sequence)).toList();
    }

    private static long sequence(SwarmObject c) {
        try {
            return Long.parseLong(c.labels().getOrDefault(SEQUENCE, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    public Optional<WarmState> read() {
        List<SwarmObject> all = records();
        if (all.isEmpty()) {
            return Optional.empty();
        }
        SwarmObject newest = all.getLast();
        SwarmObject full = newest.data() != null ? newest : engine.read().config(newest.id()).orElse(newest);
        try {
            return Optional.of(JSON.readValue(full.bytes(), WarmState.class));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("longshore's record of " + stack + " (config " + newest.name() + ") cannot be read: "
                    + e.getMessage() + "; remove it to start over", e);
        }
    }

    public WarmState write(WarmState state) {
        List<SwarmObject> before = records();
        long next = before.isEmpty() ? 1 : sequence(before.getLast()) + 1;
        ObjectNode spec = JSON.createObjectNode();
        spec.put("Name", stack + "_longshore-warm-" + next);
        ObjectNode labels = spec.putObject("Labels");
        labels.put(RunLabels.WARM, stack);
        labels.put(SEQUENCE, String.valueOf(next));
        try {
            spec.put("Data", Base64.getEncoder().encodeToString(JSON.writeValueAsBytes(state)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the state of " + stack, e);
        }
        engine.post("/configs/create", spec);
        for (SwarmObject old : before) {
            try {
                engine.delete("/configs/" + old.id());
            } catch (EngineApiException e) {
                // an older record left behind is harmless: the newest is the state; the next write retries
            }
        }
        return state;
    }
}
