package io.longshore.kit.stack;

import com.fasterxml.jackson.databind.JsonNode;
import io.longshore.kit.engine.Engine;
import io.longshore.kit.engine.EngineApiException;
import io.longshore.kit.output.Events;
import io.longshore.kit.stack.TeardownPlan.Step;
import io.longshore.kit.wait.Deadline;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Removes one run and verifies that nothing of it is left (issue 4's five steps). Each step waits
 * on a condition with the run's deadline, never a fixed sleep; a step that cannot finish leaves
 * residue and the next steps still run. Idempotent: a run that is already gone is a clean result.
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

    private final RunFinder finder;
    private final Events events;

    public Teardown(RunFinder finder, Events events) {
        this.finder = finder;
        this.events = events;
    }

    public static Teardown on(Engine engine, Events events) {
        return new Teardown(new RunFinder(engine), events);
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
        return new TeardownResult(stack, plan, List.of(), Duration.between(start, Instant.now()), true);
    }

    /** Tears run {@code stack} down within {@code timeout} and verifies; see the class comment. */
    public TeardownResult run(String stack, Duration timeout) throws InterruptedException {
        Instant start = Instant.now();
        Deadline deadline = Deadline.in(timeout);
        TeardownPlan plan = plan(stack);
        Map<String, String> why = new ConcurrentHashMap<>();
        if (plan.isEmpty()) {
            events.step("teardown of run " + stack);
            events.progress("nothing of run " + stack + " is on the engine; already gone");
        } else {
            events.step(title(stack, Step.REMOVE_SERVICES));
            removeAll(plan.services(), o -> "/services/" + o.id(), deadline, why, false);
            removeAll(plan.standaloneContainers(), o -> "/containers/" + o.id() + "?force=1&v=1", deadline, why, false);

            events.step(title(stack, Step.AWAIT_TASKS));
            awaitTasksGone(stack, plan, deadline, why);

            events.step(title(stack, Step.REMOVE_SECRETS_AND_CONFIGS));
            removeAll(plan.objects().of(ObjectKind.SECRET), o -> "/secrets/" + o.id(), deadline, why, true);
            removeAll(plan.objects().of(ObjectKind.CONFIG), o -> "/configs/" + o.id(), deadline, why, true);
            events.step(title(stack, Step.REMOVE_NETWORKS));
            removeAll(plan.networks(), o -> "/networks/" + o.id(), deadline, why, true);

            events.step(title(stack, Step.REMOVE_VOLUMES));
            removeAll(plan.volumes(), o -> "/volumes/" + o.name(), deadline, why, true);
        }
        events.step(title(stack, Step.VERIFY));
        List<Residue> residue = verify(stack, why);
        if (residue.isEmpty()) {
            events.progress("nothing of run " + stack + " is left");
        } else {
            residue.forEach(r -> events.progress("left: " + r));
        }
        return new TeardownResult(stack, plan, residue, Duration.between(start, Instant.now()), false);
    }

    private static String title(String stack, Step step) {
        return step.title() + " (" + stack + ")";
    }

    /**
     * Removes each object (in parallel); 404 counts as removed. With {@code retryInUse}, an object
     * the engine reports in use is retried until it goes or the deadline passes.
     */
    private void removeAll(List<RunObject> objects, java.util.function.Function<RunObject, String> path,
                           Deadline deadline, Map<String, String> why, boolean retryInUse) throws InterruptedException {
        if (objects.isEmpty()) {
            return;
        }
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            for (RunObject o : objects) {
                running.add(pool.submit(() -> {
                    remove(o, path.apply(o), deadline, why, retryInUse);
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

    private void remove(RunObject o, String path, Deadline deadline, Map<String, String> why, boolean retryInUse)
            throws InterruptedException {
        String[] failure = {null};
        boolean[] toldInUse = {false};
        boolean finished = deadline.await(() -> {
            try {
                finder.engine().delete(path);
                failure[0] = null;
                return true;
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
            events.progress("removed " + o);
        } else {
            why.put(o.id(), finished ? failure[0] : failure[0] + " (still so when the deadline passed)");
        }
    }

    static boolean inUse(EngineApiException e) {
        String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(java.util.Locale.ROOT);
        return e.status() == 409 || m.contains("in use") || m.contains("active endpoints");
    }

    /**
     * Waits until the removed services' tasks are shut down and the run's task containers are gone.
     * A container whose task has stopped is removed here rather than left for swarm's own cleanup,
     * which lags seconds behind and keeps the run's volumes in use meanwhile.
     */
    private void awaitTasksGone(String stack, TeardownPlan plan, Deadline deadline, Map<String, String> why)
            throws InterruptedException {
        Set<String> serviceIds = new HashSet<>();
        plan.services().forEach(s -> serviceIds.add(s.id()));
        plan.taskContainers().forEach(c -> serviceIds.add(c.label(RunObject.SWARM_SERVICE_ID)));
        serviceIds.remove(null);
        if (serviceIds.isEmpty() && plan.taskContainers().isEmpty()) {
            return;
        }
        int[] last = {-1, -1};
        Set<String> removing = ConcurrentHashMap.newKeySet();
        boolean done = deadline.await(() -> {
            int tasks = finder.swarmManager() ? countLiveTasks(serviceIds) : 0;
            List<JsonNode> containers = containersOf(stack, serviceIds);
            for (JsonNode c : containers) {
                String id = c.path("Id").asText();
                if (STOPPED.contains(c.path("State").asText()) && removing.add(id)) {
                    Thread.startVirtualThread(() -> removeStoppedContainer(id, removing));
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
        }, Duration.ofMillis(200));
        if (done) {
            events.progress("all tasks are shut down and their containers are gone");
        } else {
            for (JsonNode c : containersOf(stack, serviceIds)) {
                why.put(c.path("Id").asText(), "its task was still shutting down (container " + c.path("State").asText()
                        + ") when the deadline passed");
            }
        }
    }

    /** Container states in which nothing runs any more. */
    private static final Set<String> STOPPED = Set.of("exited", "dead", "created");

    private void removeStoppedContainer(String id, Set<String> removing) {
        try {
            finder.engine().delete("/containers/" + id + "?v=1");
        } catch (EngineApiException e) {
            // 404: swarm got there first; 409: its removal is already in progress. Either way the
            // wait sees it go; anything else is retried on a later poll.
            if (e.status() != 404 && e.status() != 409) {
                removing.remove(id);
            }
        } catch (RuntimeException e) {
            removing.remove(id);
        }
    }

    private int countLiveTasks(Collection<String> serviceIds) {
        int n = 0;
        for (JsonNode t : finder.engine().get("/tasks")) {
            if (serviceIds.contains(t.path("ServiceID").asText()) && !TASK_DONE.contains(t.path("Status").path("State").asText())) {
                n++;
            }
        }
        return n;
    }

    /** The run's containers with their state, as the engine lists them now. */
    private List<JsonNode> containersOf(String stack, Set<String> serviceIds) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode n : finder.engine().get("/containers/json?all=1")) {
            RunObject c = RunFinder.container(n);
            if (c.belongsTo(stack) || serviceIds.contains(c.label(RunObject.SWARM_SERVICE_ID))) {
                out.add(n);
            }
        }
        return out;
    }

    /** Lists every kind again: anything of the run still there is residue, with the last reason we saw. */
    private List<Residue> verify(String stack, Map<String, String> why) {
        List<Residue> residue = new ArrayList<>();
        for (RunObject o : finder.find(stack).objects()) {
            String reason = why.get(o.id());
            if (reason == null) {
                reason = o.kind() == ObjectKind.CONTAINER && o.isTaskContainer()
                        ? "swarm had not removed its task container when the deadline passed"
                        : "still listed after teardown (created while it ran?)";
            }
            residue.add(new Residue(o.kind(), o.name(), o.id(), reason));
        }
        return residue;
    }
}
