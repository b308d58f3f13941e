package io.longshore.kit.stack;

import com.fasterxml.jackson.databind.JsonNode;
import io.longshore.kit.engine.Engine;
import io.longshore.kit.wait.Deadline;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Lists what the engine holds, as {@link RunObject}s, and finds runs in it: one run's objects (by
 * label and by {@code <stack>_} name prefix), every longshore run (for the janitor), and the live
 * stacks (for prune's gate). Only lists; never changes anything.
 */
public final class RunFinder {
    /** Networks the engine or swarm owns; a stack named {@code docker} must not claim {@code docker_gwbridge}. */
    private static final Set<String> PREDEFINED_NETWORKS = Set.of("bridge", "host", "none", "docker_gwbridge", "ingress");

    private final Engine engine;
    private final boolean swarmManager;

    public RunFinder(Engine engine) {
        this(engine, isSwarmManager(engine));
    }

    private RunFinder(Engine engine, boolean swarmManager) {
        this.engine = engine;
        this.swarmManager = swarmManager;
    }

    /** The same finder on a view of the engine that waits for it no longer than {@code deadline}. */
    public RunFinder within(Deadline deadline) {
        return new RunFinder(engine.within(deadline), swarmManager);
    }

    /** Services, secrets and configs can be listed (and removed) only on an active swarm manager. */
    public static boolean isSwarmManager(Engine engine) {
        JsonNode swarm = engine.get("/info").path("Swarm");
        return "active".equals(swarm.path("LocalNodeState").asText()) && swarm.path("ControlAvailable").asBoolean(false);
    }

    public boolean swarmManager() {
        return swarmManager;
    }

    public Engine engine() {
        return engine;
    }

    /** The objects of run {@code stack} that the engine holds now. */
    public RunObjects find(String stack) {
        return RunObjects.select(stack, listAll());
    }

    /** Every object of every kind the engine lists (swarm kinds only on a manager); the kinds are listed in parallel. */
    public List<RunObject> listAll() {
        List<Future<List<RunObject>>> lists = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (ObjectKind kind : ObjectKind.values()) {
                lists.add(pool.submit(() -> list(kind)));
            }
        }
        List<RunObject> all = new ArrayList<>();
        for (Future<List<RunObject>> f : lists) {
            try {
                all.addAll(f.get());
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re; // EngineApiException, UnreachableException: as if listed one by one
                }
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while listing the engine's objects", e);
            }
        }
        return all;
    }

    public List<RunObject> list(ObjectKind kind) {
        if (kind.swarmOnly() && !swarmManager) {
            return List.of();
        }
        List<RunObject> out = new ArrayList<>();
        switch (kind) {
            case SERVICE, SECRET, CONFIG -> {
                for (JsonNode n : engine.get("/" + kind.plural())) {
                    out.add(new RunObject(kind, n.path("ID").asText(), n.path("Spec").path("Name").asText(),
                            labels(n.path("Spec").path("Labels"))));
                }
            }
            case CONTAINER -> {
                for (JsonNode n : engine.get("/containers/json?all=1")) {
                    out.add(container(n));
                }
            }
            case NETWORK -> {
                for (JsonNode n : engine.get("/networks")) {
                    String name = n.path("Name").asText();
                    if (PREDEFINED_NETWORKS.contains(name) || n.path("Ingress").asBoolean(false)) {
                        continue;
                    }
                    out.add(new RunObject(kind, n.path("Id").asText(), name, labels(n.path("Labels"))));
                }
            }
            case VOLUME -> {
                for (JsonNode n : engine.get("/volumes").path("Volumes")) {
                    String name = n.path("Name").asText();
                    out.add(new RunObject(kind, name, name, labels(n.path("Labels"))));
                }
            }
        }
        return out;
    }

    /**
     * Every longshore run on the engine: objects carrying {@code io.longshore.run}, grouped by its
     * value. Objects without that label are never part of a run here, so the janitor cannot reap them.
     */
    public List<RunSummary> runs() {
        return RunSummary.group(listAll());
    }

    /**
     * The stacks that are live now: services labelled {@code io.longshore.run} or
     * {@code com.docker.stack.namespace} (any stack, longshore's or not). Prune's gate: never prune
     * while this is not empty. Empty when the engine is not a swarm manager (no services).
     */
    public List<String> liveRuns() {
        Set<String> stacks = new TreeSet<>();
        for (RunObject s : list(ObjectKind.SERVICE)) {
            String run = s.label(RunLabels.RUN);
            String ns = s.label(RunLabels.STACK_NAMESPACE);
            if (run != null && !run.isBlank()) {
                stacks.add(run);
            } else if (ns != null && !ns.isBlank()) {
                stacks.add(ns);
            }
        }
        return List.copyOf(stacks);
    }

    static RunObject container(JsonNode n) {
        String name = n.path("Names").path(0).asText("").replaceFirst("^/", "");
        return new RunObject(ObjectKind.CONTAINER, n.path("Id").asText(), name, labels(n.path("Labels")));
    }

    private static Map<String, String> labels(JsonNode n) {
        Map<String, String> m = new LinkedHashMap<>();
        if (n != null && n.isObject()) {
            n.properties().forEach(e -> m.put(e.getKey(), e.getValue().asText()));
        }
        return m;
    }

    static Instant parseTime(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(s.trim());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
