package io.longshore.kit.stack;

import com.fasterxml.jackson.databind.JsonNode;
import io.longshore.kit.engine.Engine;
import io.longshore.kit.engine.EngineApiException;
import io.longshore.kit.run.UnreachableException;
import io.longshore.kit.output.Events;
import io.longshore.kit.stack.TeardownPlan.Step;
import io.longshore.kit.wait.Deadline;
import io.longshore.kit.wait.Pace;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Removes one run and verifies that nothing of it is left (issue 4's five steps). Each step waits
 * on a condition with the run's deadline, never a fixed sleep; a step that cannot finish leaves
 * residue and the next steps still run. Idempotent: a run that is already gone is a clean result.
 *
 * <p>An engine that restarts meanwhile is waited for, within the same deadline (the engine's
 * tolerance layer settles removes whose answer was lost): the teardown resumes where it was and
 * ends verified clean, or, past the deadline, with every object still there listed as residue and
 * who will reap it.
 *
 * <pre>{@code
 * Teardown teardown = Teardown.on(engine, job.events());
 * TeardownResult r = teardown.run("app-3f9c1a", Duration.ofMinutes(2));
 * if (!r.clean()) return new Outcome.Failed(r.summary(), r.describe());
 * }</pre>
 *
 * Never removes images, and never an object that neither carries the run's labels nor its
 * {@code <stack>_} name prefix.
 */
public final class Teardown {
    /** Task states after which a task's container is stopped (or never started). */
    private static final Set<String> TASK_DONE = Set.of("complete", "shutdown", "failed", "rejected", "orphaned", "remove");
    /** Container states in which nothing runs any more. */
    private static final Set<String> STOPPED = Set.of("exited", "dead", "created");
    /** Swarm's stop grace period when a service sets none. */
    private static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);
    /** Teardown's waits look again quickly: each removal it waits for takes the engine milliseconds. */
    private static final Pace TEARDOWN_PACE = Pace.backoff(Duration.ofMillis(50), Duration.ofMillis(200));

    private final RunFinder finder;
    private final Events events;
    private final NodeHelper helper;

    public Teardown(RunFinder finder, Events events) {
        this(finder, events, new NodeHelper(finder.engine(), null));
    }

    public Teardown(RunFinder finder, Events events, NodeHelper helper) {
        this.finder = finder;
        this.events = events;
        this.helper = helper;
    }

    public static Teardown on(Engine engine, Events events) {
        return new Teardown(new RunFinder(engine), events);
    }

    /** {@code helperImage}: the image the helper jobs on other nodes run (the helper_image setting), or null for the default. */
    public static Teardown on(Engine engine, Events events, String helperImage) {
        return new Teardown(new RunFinder(engine), events, new NodeHelper(engine, helperImage));
    }

    public RunFinder finder() {
        return finder;
    }

    /** The plan for run {@code stack} as the engine lists it now; changes nothing. */
    public TeardownPlan plan(String stack) {
        return TeardownPlan.of(finder.find(stack));
    }

    /** Prints the plan (every object that would go, by kind) and changes nothing. */
    public TeardownResult dryRun(String stack) {
        Instant start = Instant.now();
        events.step("plan teardown of run " + stack);
        TeardownPlan plan = plan(stack);
        plan.lines().forEach(events::progress);
        List<NodeAccess> nodes = nodes(finder.engine());
        if (nodes.size() > 1) {
            for (NodeAccess a : nodes) {
                events.progress("node " + a.node().displayName() + ": " + switch (a) {
                    case NodeAccess.Local l -> "the connected engine, asked directly";
                    case NodeAccess.ByHelper h -> "asked by a helper job with its socket " + h.socket();
                    case NodeAccess.Unreachable u -> "cannot be asked (" + u.why() + ")";
                });
            }
        }
        return new TeardownResult(stack, plan, List.of(), Duration.between(start, Instant.now()), true);
    }

    /** Tears run {@code stack} down within {@code timeout} and verifies; see the class comment. */
    public TeardownResult run(String stack, Duration timeout) throws InterruptedException {
        return run(stack, timeout, java.util.EnumSet.allOf(ObjectKind.class));
    }

    /**
     * Removes only the run's objects of these kinds (a backup stage destroys the data: services,
     * their containers and volumes, and keeps the secrets and configs the restored app needs) and
     * verifies that none of those kinds is left.
     */
    public TeardownResult run(String stack, Duration timeout, Set<ObjectKind> kinds) throws InterruptedException {
        Instant start = Instant.now();
        Deadline deadline = Deadline.in(timeout);
        RunFinder within = finder.within(deadline);
        // Started from the exit hook, a teardown may overtake a create still on the wire: wait for
        // its answer (nothing new is sent once the process is ending), so the plan lists what it made.
        within.engine().awaitCreates(deadline);
        TeardownPlan plan;
        try {
            plan = TeardownPlan.of(only(within.find(stack), kinds));
        } catch (UnreachableException e) {
            events.step("teardown of run " + stack);
            events.progress("run " + stack + " cannot be listed: " + e.getMessage());
            return new TeardownResult(stack, TeardownPlan.of(RunObjects.select(stack, List.of())), List.of(),
                    Duration.between(start, Instant.now()), false, "the engine did not answer before the deadline (" + e.getMessage() + ")",
                    null);
        }
        Pass pass = new Pass(plan, deadline, within, kinds);
        List<NodeAccess> nodes = nodes(pass.engine());
        Nodes remote = new Nodes(pass, nodes);
        if (plan.isEmpty()) {
            events.step("teardown of run " + stack);
            events.progress("nothing of run " + stack + " is on the engine" + (nodes.size() > 1 ? " it is connected to" : "")
                    + "; already gone");
        }
        Map<String, Duration> grace = Map.of();
        // The executor carries out the pure plan's steps, in their order, on what each step lists.
        for (Map.Entry<Step, List<RunObject>> e : plan.steps().entrySet()) {
            Step step = e.getKey();
            List<RunObject> objects = e.getValue();
            if (plan.isEmpty() && step != Step.VERIFY) {
                continue;
            }
            events.step(title(stack, step));
            switch (step) {
                case REMOVE_SERVICES -> {
                    grace = stopGracePeriods(pass, plan.services());
                    removeAll(pass, objects, o -> o.kind() == ObjectKind.SERVICE ? "/services/" + o.id()
                            : "/containers/" + o.id() + "?force=1&v=1", false);
                    // The services are gone: every other node can now clear its containers and volumes meanwhile.
                    remote.start(maxGrace(grace));
                }
                case AWAIT_TASKS -> awaitTasksGone(pass, grace);
                case REMOVE_SECRETS_AND_CONFIGS -> removeAll(pass, objects,
                        o -> (o.kind() == ObjectKind.SECRET ? "/secrets/" : "/configs/") + o.id(), true);
                case REMOVE_NETWORKS -> removeAll(pass, objects, o -> "/networks/" + o.id(), true);
                case REMOVE_VOLUMES -> removeAll(pass, objects, o -> "/volumes/" + o.name(), true);
                case VERIFY -> { } // below: it needs the other nodes' answers too
            }
        }
        remote.start(DEFAULT_GRACE); // no-op when the services step started them
        Verified verified = verify(pass);
        List<RunObject> left = verified.left();
        List<Residue> residue = new ArrayList<>(left.stream().map(o -> new Residue(o.kind(), o.name(), o.id(), reason(pass, o))).toList());
        residue.addAll(remote.await());
        String unlisted = verified.listed() ? null : "the engine did not answer the verify before the deadline";
        if (residue.isEmpty() && unlisted == null) {
            events.progress("nothing of run " + stack + " is left" + (nodes.size() > 1 ? " on any of the " + nodes.size() + " nodes" : ""));
        } else {
            residue.forEach(r -> events.progress("left: " + r));
            if (unlisted != null) {
                events.progress("not verified: " + unlisted);
            }
        }
        return new TeardownResult(stack, plan, residue, Duration.between(start, Instant.now()), false, unlisted,
                residue.isEmpty() && unlisted == null ? null : reaper(stack, left.isEmpty() ? plan.objects().objects() : left));
    }

    private static Duration maxGrace(Map<String, Duration> grace) {
        return grace.values().stream().max(Duration::compareTo).orElse(DEFAULT_GRACE);
    }

    /** The swarm's nodes, asked how; an engine outside a swarm (or one that cannot list nodes now) is one node. */
    private List<NodeAccess> nodes(Engine engine) {
        if (!finder.swarmManager()) {
            return List.of();
        }
        try {
            String local = engine.get("/info").path("Swarm").path("NodeID").asText("");
            return NodeAccess.of(engine.read().nodes(io.longshore.kit.engine.Filter.NONE), local);
        } catch (UnreachableException | EngineApiException e) {
            return List.of();
        }
    }

    /**
     * The other nodes' part of one teardown: a helper job per node that can be asked, started once
     * the run's services are gone and running while this engine does its own steps; residue naming
     * every node that could not be asked or still holds something of the run.
     */
    private final class Nodes {
        private final Pass pass;
        private final List<NodeAccess> access;
        private final Map<NodeAccess.ByHelper, Future<NodeSweep.Result>> running = new java.util.LinkedHashMap<>();
        private ExecutorService pool;

        Nodes(Pass pass, List<NodeAccess> access) {
            this.pass = pass;
            this.access = access;
        }

        synchronized void start(Duration grace) {
            if (pool != null) {
                return;
            }
            pool = Executors.newVirtualThreadPerTaskExecutor();
            for (NodeAccess.ByHelper n : NodeAccess.helped(access)) {
                events.progress("node " + n.node().displayName() + ": clearing the run's containers and volumes there by a helper job");
                running.put(n, pool.submit(() -> helper.sweep(n.node(), pass.stack(), grace, pass.deadline())));
            }
        }

        List<Residue> await() throws InterruptedException {
            List<Residue> out = new ArrayList<>();
            for (NodeAccess a : access) {
                if (a instanceof NodeAccess.Unreachable u) {
                    out.add(Residue.unaskedNode(u.node().displayName(), u.node().id(), u.why()));
                }
            }
            for (Map.Entry<NodeAccess.ByHelper, Future<NodeSweep.Result>> e : running.entrySet()) {
                String name = e.getKey().node().displayName();
                NodeSweep.Result r;
                try {
                    r = e.getValue().get();
                } catch (ExecutionException ex) {
                    r = new NodeSweep.Result(e.getKey().node().id(), List.of(), List.of(), String.valueOf(ex.getCause().getMessage()));
                }
                if (r.problem() != null) {
                    out.add(Residue.unaskedNode(name, r.nodeId(), "node " + name + " could not be verified: " + r.problem()));
                    continue;
                }
                r.removed().forEach(o -> events.progress("node " + name + ": removed " + o));
                for (NodeSweep.Left l : r.left()) {
                    out.add(new Residue(kindOf(l.kind()), l.name(), null, l.why(), name));
                }
                if (r.left().isEmpty()) {
                    events.progress("node " + name + ": nothing of run " + pass.stack() + " is left there");
                }
            }
            if (pool != null) {
                pool.close();
            }
            return out;
        }
    }

    private static ObjectKind kindOf(String singular) {
        for (ObjectKind k : ObjectKind.values()) {
            if (k.singular().equals(singular)) {
                return k;
            }
        }
        return ObjectKind.VOLUME;
    }

    /**
     * Every longshore run in the swarm: what the connected engine lists, and the containers and
     * volumes of every other node that can be asked (a run whose only remains are a worker's
     * volumes is a run too). A node that cannot be asked is said once; runs only it holds stay unseen.
     */
    public List<RunSummary> runsOnEveryNode(Duration timeout) throws InterruptedException {
        List<RunObject> all = new ArrayList<>(finder.listAll());
        List<NodeAccess> nodes = nodes(finder.engine());
        Deadline deadline = Deadline.in(timeout);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Map<NodeAccess, Future<NodeHelper.Listed>> listing = new java.util.LinkedHashMap<>();
            for (NodeAccess a : nodes) {
                if (a instanceof NodeAccess.ByHelper h) {
                    listing.put(a, pool.submit(() -> helper.list(h.node(), deadline)));
                } else if (a instanceof NodeAccess.Unreachable u) {
                    events.progress("not listed: " + u.why().replaceFirst(": its volumes and containers of the run could not be removed or verified$",
                            ": runs whose only remains are there are not seen"));
                }
            }
            for (Map.Entry<NodeAccess, Future<NodeHelper.Listed>> e : listing.entrySet()) {
                NodeHelper.Listed l;
                try {
                    l = e.getValue().get();
                } catch (ExecutionException ex) {
                    l = new NodeHelper.Listed(List.of(), String.valueOf(ex.getCause().getMessage()));
                }
                if (l.problem() != null) {
                    events.progress("not listed: node " + e.getKey().node().displayName() + ": " + l.problem());
                }
                all.addAll(l.objects());
            }
        }
        return RunSummary.group(all);
    }

    private static RunObjects only(RunObjects all, Set<ObjectKind> kinds) {
        return new RunObjects(all.stack(), all.objects().stream().filter(o -> kinds.contains(o.kind())).toList());
    }

    /** Who removes what a teardown left: the janitor once the run expires, if anything left still says it is the run's. */
    static String reaper(String stack, List<RunObject> left) {
        List<RunSummary> runs = RunSummary.group(left).stream().filter(r -> r.stack().equals(stack)).toList();
        if (runs.isEmpty()) {
            return "none of it carries " + RunLabels.RUN + "=" + stack + ", so the janitor will not find it: run teardown with stack "
                    + stack + " again";
        }
        RunSummary run = runs.getFirst();
        return run.expires() == null ? "it carries no readable " + RunLabels.EXPIRES + ", so the janitor keeps it: run teardown with stack "
                + stack + " again" : "the janitor reaps it after " + run.expires();
    }

    /** Why an object is still there: the last reason we saw, else what its kind and our removals suggest. */
    private static String reason(Pass pass, RunObject o) {
        String reason = pass.why().get(Pass.key(o));
        if (reason != null) {
            return reason;
        }
        if (pass.away().get() != null && !pass.removed().contains(Pass.key(o))) {
            return AWAY;
        }
        return pass.removed().contains(Pass.key(o)) ? "the engine accepted its removal but still lists it"
                : o.isTaskContainer() ? "swarm had not removed its task container when the deadline passed"
                : "still listed after teardown (created while it ran?)";
    }

    /** The residue reason for an object the engine was not there to remove; its own message was printed once. */
    static final String AWAY = "not removed: the engine was away until the deadline";

    /** The residue reason for an object whose removal the engine accepted and never answered (a stall) before the deadline. */
    static final String UNANSWERED = "not removed: the engine did not answer its removal before the deadline";

    /**
     * One teardown's state: the plan, its deadline, the finder on an engine view bounded by it, what
     * the engine accepted to remove, why the rest did not go, and the first sign the engine stayed away.
     */
    private record Pass(TeardownPlan plan, Deadline deadline, RunFinder finder, Set<ObjectKind> kinds, Map<String, String> why,
                        Set<String> removed, AtomicReference<String> away) {
        Pass(TeardownPlan plan, Deadline deadline, RunFinder finder, Set<ObjectKind> kinds) {
            this(plan, deadline, finder, Set.copyOf(kinds), new ConcurrentHashMap<>(), ConcurrentHashMap.newKeySet(), new AtomicReference<>());
        }

        String stack() {
            return plan.stack();
        }

        Engine engine() {
            return finder.engine();
        }

        /** The engine stayed away past a call's wait: noted once (the console heard of the outage already). */
        void away(UnreachableException e) {
            away.compareAndSet(null, e.getMessage());
        }

        static String key(RunObject o) {
            return o.kind() + "/" + o.name();
        }
    }

    private static String title(String stack, Step step) {
        return step.title() + " (" + stack + ")";
    }

    /**
     * Removes each object (in parallel); 404 counts as removed. With {@code retryInUse}, an object
     * the engine reports in use is retried until it goes or the deadline passes.
     */
    private void removeAll(Pass pass, List<RunObject> objects, Function<RunObject, String> path, boolean retryInUse)
            throws InterruptedException {
        if (objects.isEmpty()) {
            return;
        }
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            for (RunObject o : objects) {
                running.add(pool.submit(() -> {
                    remove(pass, o, path.apply(o), retryInUse);
                    return null;
                }));
            }
            for (Future<?> f : running) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    // remove() records the engine's refusals; what reaches here (engine unreachable) ends the run
                    if (e.getCause() instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IllegalStateException("removing an object failed unexpectedly", e.getCause());
                }
            }
        }
    }

    private void remove(Pass pass, RunObject o, String path, boolean retryInUse) throws InterruptedException {
        String[] failure = {null};
        boolean[] toldInUse = {false};
        boolean finished = pass.deadline().await(() -> {
            try {
                pass.engine().delete(path);
                failure[0] = null;
                return true;
            } catch (UnreachableException e) {
                pass.away(e);
                failure[0] = pass.engine().outages().away() ? AWAY : UNANSWERED;
                return false; // the engine stayed away (or silent) past this call's wait: try again until the deadline
            } catch (EngineApiException e) {
                if (e.status() == 404) {
                    failure[0] = null;
                    return true;
                }
                failure[0] = e.getMessage();
                if (retryInUse && inUse(e)) {
                    if (!toldInUse[0]) {
                        events.progress(o + " is still in use; retrying until it is free");
                        toldInUse[0] = true;
                    }
                    return false;
                }
                return true; // not retryable: the verify reports it with this reason
            }
        });
        if (failure[0] == null) {
            pass.removed().add(Pass.key(o));
            events.progress("removed " + o);
        } else {
            boolean noAnswer = failure[0] == AWAY || failure[0] == UNANSWERED;
            pass.why().put(Pass.key(o), finished || noAnswer ? failure[0] : failure[0] + " (still so when the deadline passed)");
        }
    }

    /** One more removal of an object that is listed again after the engine accepted its removal. */
    private void removeAgain(Pass pass, RunObject o) {
        String path = o.kind() == ObjectKind.VOLUME ? "/volumes/" + o.name() : "/networks/" + o.id();
        try {
            pass.engine().delete(path);
            events.progress(o + " was listed again after its removal (made again by a task that was still being prepared); removed it again");
        } catch (EngineApiException e) {
            if (e.status() != 404) {
                pass.why().put(Pass.key(o), "listed again after its removal, and removing it again failed: " + e.getMessage());
            }
        }
    }

    static boolean inUse(EngineApiException e) {
        String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        return e.status() == 409 || m.contains("in use") || m.contains("active endpoints");
    }

    /** Each service's stop grace period (swarm's default is 10s), read before the services go. */
    private Map<String, Duration> stopGracePeriods(Pass pass, List<RunObject> services) {
        Map<String, Duration> grace = new HashMap<>();
        if (services.isEmpty()) {
            return grace;
        }
        try {
            for (JsonNode s : pass.engine().get("/services")) {
                JsonNode ns = s.path("Spec").path("TaskTemplate").path("ContainerSpec").path("StopGracePeriod");
                grace.put(s.path("ID").asText(), ns.isNumber() ? Duration.ofNanos(ns.asLong()) : DEFAULT_GRACE);
            }
        } catch (UnreachableException e) {
            pass.away(e); // swarm's default then: the wait below is bounded by the deadline either way
        }
        return grace;
    }

    /**
     * Waits until the removed services' tasks are shut down and the run's task containers are gone.
     * Swarm stops a removed service's containers only after a fixed 2s load-balancer drain (and a
     * dispatcher round trip), and removes them seconds after they stop, keeping the run's volumes in
     * use meanwhile. The whole run is going, so there is no traffic to drain: containers on this
     * engine are stopped here with their service's own grace period, and removed once stopped.
     */
    private void awaitTasksGone(Pass pass, Map<String, Duration> grace) throws InterruptedException {
        Set<String> serviceIds = new HashSet<>();
        pass.plan().services().forEach(s -> serviceIds.add(s.id()));
        pass.plan().taskContainers().forEach(c -> serviceIds.add(c.label(RunObject.SWARM_SERVICE_ID)));
        serviceIds.remove(null);
        if (serviceIds.isEmpty() && pass.plan().taskContainers().isEmpty()) {
            return;
        }
        // A service the engine refused to remove keeps its tasks (it is residue already): do not wait
        // for them, and do not stop its containers, which would only make swarm restart them.
        Set<String> stillThere = new HashSet<>();
        pass.plan().services().stream().filter(s -> !pass.removed().contains(Pass.key(s))).forEach(s -> stillThere.add(s.id()));
        serviceIds.removeAll(stillThere);
        int[] last = {-1, -1};
        Set<String> handled = ConcurrentHashMap.newKeySet();
        String localNode = localNode(pass);
        boolean done = pass.deadline().await(tolerating(pass, () -> {
            List<JsonNode> containers = containersOf(pass, serviceIds).stream()
                    .filter(c -> !stillThere.contains(c.path("Labels").path(RunObject.SWARM_SERVICE_ID).asText()))
                    .toList();
            Set<String> present = new HashSet<>();
            containers.forEach(c -> present.add(c.path("Id").asText()));
            int tasks = finder.swarmManager() ? countLiveTasks(pass, serviceIds, localNode, present) : 0;
            for (JsonNode c : containers) {
                String id = c.path("Id").asText();
                String state = c.path("State").asText();
                if (STOPPED.contains(state) && handled.add("rm " + id)) {
                    Thread.startVirtualThread(() -> quietly(() -> pass.engine().delete("/containers/" + id + "?v=1"),
                            () -> handled.remove("rm " + id)));
                } else if ("running".equals(state) && handled.add("stop " + id)) {
                    Duration g = grace.getOrDefault(c.path("Labels").path(RunObject.SWARM_SERVICE_ID).asText(), DEFAULT_GRACE);
                    long t = Math.max(1, (g.toMillis() + 999) / 1000);
                    Thread.startVirtualThread(() -> quietly(() -> pass.engine().post("/containers/" + id + "/stop?t=" + t, null),
                            () -> handled.remove("stop " + id)));
                }
            }
            if (tasks != last[0] || containers.size() != last[1]) {
                if (tasks + containers.size() > 0) {
                    events.progress(tasks + " tasks still shutting down, " + containers.size() + " containers still present");
                }
                last[0] = tasks;
                last[1] = containers.size();
            }
            return tasks == 0 && containers.isEmpty();
        }), TEARDOWN_PACE);
        if (done) {
            events.progress("all tasks are shut down and their containers are gone");
        } else {
            List<JsonNode> containers;
            try {
                containers = containersOf(pass, serviceIds);
            } catch (UnreachableException | EngineApiException e) {
                return; // the verify lists (or cannot list) them and says why
            }
            for (JsonNode c : containers) {
                if (stillThere.contains(c.path("Labels").path(RunObject.SWARM_SERVICE_ID).asText())) {
                    continue;
                }
                String name = c.path("Names").path(0).asText("").replaceFirst("^/", "");
                pass.why().put(ObjectKind.CONTAINER + "/" + name, "its task was still shutting down (container "
                        + c.path("State").asText() + ") when the deadline passed");
            }
        }
    }

    /** The engine's own node id (its task containers are seen directly), or nothing when it cannot be read now. */
    private String localNode(Pass pass) {
        if (!finder.swarmManager()) {
            return "";
        }
        try {
            return pass.engine().get("/info").path("Swarm").path("NodeID").asText();
        } catch (UnreachableException e) {
            pass.away(e);
            return "";
        }
    }

    /**
     * A poll that the engine answered with an error (a busy daemon's 500, say) is a poll that did
     * not see the condition yet: the wait tries again until its deadline. So is a poll the engine
     * was away for longer than the call waited (the console heard of the outage already).
     */
    private BooleanSupplier tolerating(Pass pass, BooleanSupplier poll) {
        return () -> {
            try {
                return poll.getAsBoolean();
            } catch (EngineApiException e) {
                events.progress("the engine answered a poll with an error, trying again: " + e.getMessage());
                return false;
            } catch (UnreachableException e) {
                pass.away(e);
                return false;
            }
        };
    }

    /**
     * Runs an engine call whose failure the wait loop sees anyway: 404 (swarm got there first) and
     * 409 (already being removed) are fine; on anything else {@code retry} lets a later poll try again.
     */
    private static void quietly(Runnable call, Runnable retry) {
        try {
            call.run();
        } catch (EngineApiException e) {
            if (e.status() != 404 && e.status() != 409) {
                retry.run();
            }
        } catch (RuntimeException e) {
            retry.run();
        }
    }

    /**
     * Tasks of the removed services that are not shut down yet. A task on this node whose container
     * is already gone counts as shut down: swarm's record of it lags behind by its drain delay.
     */
    /** Task states before a node took the task: no container will come of it. */
    private static final Set<String> UNPLACED = Set.of("new", "allocated", "pending");

    private int countLiveTasks(Pass pass, Collection<String> serviceIds, String localNode, Set<String> presentContainers) {
        int n = 0;
        for (JsonNode t : pass.engine().get("/tasks")) {
            if (!serviceIds.contains(t.path("ServiceID").asText()) || TASK_DONE.contains(t.path("Status").path("State").asText())) {
                continue;
            }
            String container = t.path("Status").path("ContainerStatus").path("ContainerID").asText("");
            String node = t.path("NodeID").asText("");
            if (!localNode.isEmpty() && !node.isEmpty() && !localNode.equals(node)) {
                // Another node's task: that node's helper job stops and removes its container (or the
                // node cannot be asked, and its tasks may never report again): not waited for here.
                continue;
            }
            if (container.isEmpty()) {
                if (node.isEmpty() || UNPLACED.contains(t.path("Status").path("State").asText())) {
                    // Never placed (pending on a constraint, say): it never gets a container to hold a volume.
                    // Swarm keeps such tasks of a removed service around; waiting for them only ends at the deadline.
                    continue;
                }
                // Placed and being prepared: its container may be created still (a teardown that met a
                // run while it deployed); wait until the task has ended.
                n++;
                continue;
            }
            boolean goneHere = localNode.equals(t.path("NodeID").asText()) && !presentContainers.contains(container);
            if (!goneHere) {
                n++;
            }
        }
        return n;
    }

    /** The run's containers with their state, as the engine lists them now. */
    private List<JsonNode> containersOf(Pass pass, Set<String> serviceIds) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode n : pass.engine().get("/containers/json?all=1")) {
            RunObject c = RunFinder.container(n);
            if (c.belongsTo(pass.stack()) || serviceIds.contains(c.label(RunObject.SWARM_SERVICE_ID))) {
                out.add(n);
            }
        }
        return out;
    }

    /**
     * Lists every kind again. Some removals finish in the background after the engine accepted them
     * (an overlay network stays listed on the node for a moment), so objects the engine accepted to
     * remove get until the deadline to disappear; anything of the run still there then is residue.
     * An engine still away at the deadline cannot be asked: what it had not accepted to remove is
     * residue then (the object list of the plan is all we know).
     */
    private record Verified(List<RunObject> left, boolean listed) {}

    private Verified verify(Pass pass) throws InterruptedException {
        List<RunObject> left = new ArrayList<>();
        boolean[] listed = {false};
        Set<String> again = new HashSet<>();
        pass.deadline().await(tolerating(pass, () -> {
            List<RunObject> now = only(pass.finder().find(pass.stack()), pass.kinds()).objects();
            listed[0] = true;
            left.clear();
            left.addAll(now);
            for (RunObject o : now) {
                // A volume or network the engine accepted to remove and lists again was made again by a
                // task the orchestrator was still preparing when its service went: remove it once more.
                if (pass.removed().contains(Pass.key(o)) && (o.kind() == ObjectKind.VOLUME || o.kind() == ObjectKind.NETWORK)
                        && again.add(Pass.key(o) + "@" + o.id())) {
                    removeAgain(pass, o);
                }
            }
            return left.stream().noneMatch(o -> pass.removed().contains(Pass.key(o)));
        }), TEARDOWN_PACE);
        if (!listed[0]) {
            pass.plan().objects().objects().stream().filter(o -> !pass.removed().contains(Pass.key(o)))
                    .filter(o -> !o.isTaskContainer()).forEach(left::add);
        }
        return new Verified(left, listed[0]);
    }
}
