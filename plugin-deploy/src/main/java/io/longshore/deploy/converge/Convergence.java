package io.longshore.deploy.converge;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Decides, from one snapshot of services and tasks, whether a stack has converged, is failing or
 * should be waited on. Replicated: N tasks running on the current spec, each for at least the
 * monitor window; global: one per eligible node; jobs: completed. An update or rollback in progress
 * is not converged. Pure, so every rule is tested on engine JSON without an engine.
 */
public final class Convergence {
    /** How long a global service may show no desired task before its constraints count as unsatisfiable. */
    static final Duration NO_NODE_GRACE = Duration.ofSeconds(3);

    /** Desired states of a task the orchestrator is stopping or removing. */
    private static final Set<String> STOPPED = Set.of("shutdown", "remove");
    private static final Set<String> EARLY = Set.of("new", "allocated", "pending", "assigned", "accepted", "preparing", "ready", "starting");

    private Convergence() {}

    public sealed interface Verdict {
        List<ServiceProgress> services();

        /** Every service converged; {@code lastRunning} is when the last counted task started running (engine time). */
        record Converged(List<ServiceProgress> services, Instant lastRunning) implements Verdict {}

        record Failing(List<ServiceProgress> services, TaskFailure failure) implements Verdict {}

        record Waiting(List<ServiceProgress> services) implements Verdict {}
    }

    /** Update states in which Swarm is still replacing tasks: not converged yet. */
    private static final Set<String> UPDATING = Set.of("updating", "rollback_started");
    /** Update states Swarm ends an update in when it gave up on it: the update failed. */
    private static final Set<String> GAVE_UP = Set.of("paused", "rollback_started", "rollback_paused", "rollback_completed");

    /** {@link #evaluate(List, List, List, Instant, Duration)} when no task waits for a host-mode port. */
    public static Verdict evaluate(List<JsonNode> services, List<JsonNode> tasks, Instant now, Duration window) {
        return evaluate(services, tasks, List.of(), now, window);
    }

    /** {@link #evaluate(List, List, List, Instant, Duration, Set)} for a run that updated none of the services. */
    public static Verdict evaluate(List<JsonNode> services, List<JsonNode> tasks, List<JsonNode> containers, Instant now, Duration window) {
        return evaluate(services, tasks, containers, now, window, Set.of());
    }

    /**
     * The host-mode ports (as {@code 8080/tcp}) of the services that have a task the scheduler
     * cannot place because one is in use: what {@code containers} must cover. Empty on the common
     * path, where no container list is needed.
     */
    public static List<String> contestedPorts(List<JsonNode> services, List<JsonNode> tasks) {
        List<String> out = new ArrayList<>();
        for (JsonNode s : services) {
            String id = s.path("ID").asText();
            if (tasks.stream().anyMatch(t -> id.equals(t.path("ServiceID").asText()) && HostPortConflict.reported(t))) {
                HostPortConflict.hostPorts(s).stream().filter(p -> !out.contains(p)).forEach(out::add);
            }
        }
        return out;
    }

    /**
     * @param services {@code GET /services?status=true} entries of this stack
     * @param tasks {@code GET /tasks} entries of those services
     * @param containers {@code GET /containers/json?all=1} entries publishing the {@link #contestedPorts} (any others are ignored)
     * @param updated IDs of the services this run updated: an update of one of them that Swarm paused or
     *     rolled back (its {@code UpdateStatus}) is a failure at once, with the engine's message. The engine
     *     clears a service's update status when it is updated, so what it says then is about this update.
     */
    public static Verdict evaluate(List<JsonNode> services, List<JsonNode> tasks, List<JsonNode> containers, Instant now, Duration window,
                                   Set<String> updated) {
        return evaluate(services, tasks, containers, now, window, updated, java.util.Map.of());
    }

    /**
     * {@link #evaluate(List, List, List, Instant, Duration, Set)}, where {@code startingSince} says since
     * when (engine time) a task was seen starting, by task ID. A task whose container has a healthcheck
     * stays "starting" until the check passes, so it has proved itself alive that long: its monitor
     * window counts from its start. Without a healthcheck "running" comes the moment the container
     * starts, and the window counts from then.
     */
    public static Verdict evaluate(List<JsonNode> services, List<JsonNode> tasks, List<JsonNode> containers, Instant now, Duration window,
                                   Set<String> updated, java.util.Map<String, Instant> startingSince) {
        return evaluate(services, tasks, containers, now, window, updated, startingSince, Set.of());
    }

    /**
     * The scheduler's reason when the only thing between a task and a node is that no node takes
     * tasks right now ("1 node not available for new tasks"): a node down, drained or paused, or an
     * engine that has just restarted and not yet seen itself ready again.
     */
    static final java.util.regex.Pattern NO_NODE_AVAILABLE =
            java.util.regex.Pattern.compile("no suitable node \\(\\d+ nodes? (?:is |are )?not available for new tasks\\)");

    /** Whether the scheduler could not place {@code task} only because no node takes tasks right now. */
    public static boolean waitsForANode(JsonNode task) {
        String state = task.path("Status").path("State").asText();
        return EARLY.contains(state) && NO_NODE_AVAILABLE.matcher(task.path("Status").path("Err").asText("")).find();
    }

    /**
     * {@link #evaluate(List, List, List, Instant, Duration, Set, java.util.Map)}, where {@code nodeComingBack}
     * are the IDs of tasks that {@link #waitsForANode} while a node is on its way back (the engine restarted,
     * or a node that takes tasks is not ready yet): those wait, since the scheduler places them when it
     * is. Any other such task fails: every node is drained, paused or gone.
     */
    public static Verdict evaluate(List<JsonNode> services, List<JsonNode> tasks, List<JsonNode> containers, Instant now, Duration window,
                                   Set<String> updated, java.util.Map<String, Instant> startingSince, Set<String> nodeComingBack) {
        List<PortHolder> holders = PortHolder.of(containers);
        List<ServiceProgress> progress = new ArrayList<>();
        boolean allDone = true;
        Instant lastRunning = Instant.EPOCH;
        TaskFailure failure = null;
        List<JsonNode> byName = new ArrayList<>(services);
        byName.sort(java.util.Comparator.comparing(s -> s.path("Spec").path("Name").asText()));
        for (JsonNode s : byName) {
            String id = s.path("ID").asText();
            String name = s.path("Spec").path("Name").asText();
            JsonNode mode = s.path("Spec").path("Mode");
            JsonNode template = s.path("Spec").path("TaskTemplate");
            List<JsonNode> own = tasks.stream().filter(t -> id.equals(t.path("ServiceID").asText())).toList();
            boolean job = mode.has("ReplicatedJob") || mode.has("GlobalJob");
            int running = 0;
            int completed = 0;
            String furthest = own.isEmpty() ? "pending" : "preparing";
            for (JsonNode t : own) {
                String state = t.path("Status").path("State").asText();
                String desired = t.path("DesiredState").asText();
                // A task of an older spec that was told to stop is the old release going away, however it
                // ends: the engine (20.10) fails an old task it killed after its stop grace when another task
                // leaves the same network at once ("error while removing network: unknown network").
                boolean replaced = STOPPED.contains(desired) && !currentSpec(t, template);
                boolean failed = !replaced && (state.equals("failed") || state.equals("rejected") || (!job && state.equals("complete")));
                String err = t.path("Status").path("Err").asText("");
                boolean unschedulable = EARLY.contains(state) && err.contains("no suitable node")
                        && !nodeComingBack.contains(t.path("ID").asText());
                if (unschedulable && failure == null && HostPortConflict.reported(t)) {
                    switch (HostPortConflict.decide(s, t, services, tasks, holders, now)) {
                        case HostPortConflict.Decision.Wait w -> unschedulable = false;
                        case HostPortConflict.Decision.Held h ->
                                failure = TaskFailure.classify(name, t).because(TaskFailure.Kind.PORT_IN_USE, h.reason());
                    }
                }
                if (unschedulable && failure == null && waitsForANode(t)) {
                    failure = TaskFailure.classify(name, t).because(TaskFailure.Kind.NO_SUITABLE_NODE,
                            "no node takes new tasks (every node that could run it is drained, paused or down)");
                }
                if ((failed || unschedulable) && failure == null) {
                    failure = TaskFailure.classify(name, t);
                }
                if (state.equals("running") && desired.equals("running") && currentSpec(t, template)) {
                    Instant since = Instant.parse(t.path("Status").path("Timestamp").asText(now.toString()));
                    Instant starting = healthchecked(template) ? startingSince.get(t.path("ID").asText()) : null;
                    Instant up = starting != null && starting.isBefore(since) ? starting : since;
                    if (!up.plus(window).isAfter(now)) {
                        running++;
                        lastRunning = since.isAfter(lastRunning) ? since : lastRunning;
                    } else {
                        furthest = "starting";
                    }
                } else if (state.equals("complete")) {
                    completed++;
                } else if (EARLY.contains(state) && !desired.equals("shutdown")) {
                    furthest = state;
                }
            }
            String update = s.path("UpdateStatus").path("State").asText("");
            boolean ours = updated.contains(id);
            // an update another run left paused or rolled back is how the service is now, not progress to wait for
            boolean updating = UPDATING.contains(update) || (ours && GAVE_UP.contains(update));
            if (ours && GAVE_UP.contains(update) && failure == null) {
                failure = TaskFailure.updateGaveUp(name, update, s.path("UpdateStatus").path("Message").asText(""));
            }
            int desiredTasks;
            int ready;
            String label;
            if (mode.has("Replicated")) {
                desiredTasks = mode.path("Replicated").path("Replicas").asInt(1);
                ready = running;
                label = "replicated";
            } else if (mode.has("ReplicatedJob")) {
                desiredTasks = mode.path("ReplicatedJob").path("TotalCompletions").asInt(1);
                ready = completed;
                label = "replicated-job";
            } else {
                JsonNode status = s.path("ServiceStatus");
                boolean globalJob = mode.has("GlobalJob");
                desiredTasks = status.path("DesiredTasks").asInt(0);
                if (globalJob) {
                    desiredTasks = Math.max(desiredTasks, own.size());
                }
                ready = globalJob ? completed : running;
                label = globalJob ? "global-job" : "global";
                Instant created = Instant.parse(s.path("CreatedAt").asText(now.toString()));
                if (desiredTasks == 0 && own.isEmpty() && !created.plus(NO_NODE_GRACE).isAfter(now) && failure == null) {
                    failure = new TaskFailure(name, TaskFailure.Kind.NO_SUITABLE_NODE,
                            "no node satisfies the placement constraints of this global service", null, null, List.of());
                }
            }
            boolean done = ready >= desiredTasks && desiredTasks > 0 && !updating || (desiredTasks == 0 && mode.has("Replicated"));
            allDone &= done;
            String state = updating ? "update " + update : done ? (job ? "completed" : "running") : furthest;
            progress.add(new ServiceProgress(name, label, ready, desiredTasks, state));
        }
        if (failure != null) {
            return new Verdict.Failing(progress, failure);
        }
        return allDone ? new Verdict.Converged(progress, lastRunning) : new Verdict.Waiting(progress);
    }

    /** The service's containers have a healthcheck that swarm waits for before a task counts as running. */
    private static boolean healthchecked(JsonNode template) {
        JsonNode test = template.path("ContainerSpec").path("Healthcheck").path("Test");
        return test.isArray() && !test.isEmpty() && !"NONE".equals(test.path(0).asText());
    }

    /**
     * What an update of a service can change in its containers and a task copies verbatim: a task
     * that differs in one of them (an upgrade that mounts another volume) belongs to an older spec.
     * Not the whole spec: the engine drops fields like StopGracePeriod from the task's copy.
     */
    private static final List<String> CONTAINER_FIELDS = List.of("Image", "Args", "Command", "Env", "Mounts", "User", "Dir",
            "Hostname", "Labels");

    /** A task runs the current spec when its container fields and force-update counter are the service's. */
    private static boolean currentSpec(JsonNode task, JsonNode template) {
        JsonNode spec = task.path("Spec");
        for (String field : CONTAINER_FIELDS) {
            if (!spec.path("ContainerSpec").path(field).equals(template.path("ContainerSpec").path(field))) {
                return false;
            }
        }
        return spec.path("ForceUpdate").asLong(0) == template.path("ForceUpdate").asLong(0);
    }
}
