package io.longshore.deploy.converge;

import com.fasterxml.jackson.databind.JsonNode;
import io.longshore.kit.engine.model.Container;
import io.longshore.kit.engine.model.Service;
import io.longshore.kit.engine.model.Task;
import io.longshore.kit.engine.model.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides, from one snapshot of services and tasks, whether a stack has converged, is failing or
 * should be waited on. Replicated: N tasks running on the current spec, each up for at least the
 * monitor window (counted from its container's start where that is known); global: one per eligible node; jobs: completed. An update or rollback in progress
 * is not converged. Pure, so every rule is tested on engine JSON without an engine.
 */
public final class Convergence {
    /** How long a global service may show no desired task before its constraints count as unsatisfiable. */
    static final Duration NO_NODE_GRACE = Duration.ofSeconds(3);

    /** Desired states of a task the orchestrator is stopping or removing. */
    private static final Set<String> STOPPED = Set.of("shutdown", "remove");

    private Convergence() {}

    public sealed interface Verdict {
        List<ServiceProgress> services();

        /** Every service converged; {@code lastRunning} is when the last counted task started running (engine time). */
        record Converged(List<ServiceProgress> services, Instant lastRunning) implements Verdict {}

        record Failing(List<ServiceProgress> services, TaskFailure failure) implements Verdict {}

        /**
         * Not yet; {@code windowEnds} is the earliest time a task now inside its monitor window will
         * have held it (where a watch should look next), or null when no task is inside one.
         */
        record Waiting(List<ServiceProgress> services, Instant windowEnds) implements Verdict {}
    }

    /** Update states in which Swarm is still replacing tasks: not converged yet. */
    private static final Set<String> UPDATING = Set.of("updating", "rollback_started");
    /** Update states Swarm ends an update in when it gave up on it: the update failed. */
    private static final Set<String> GAVE_UP = Set.of("paused", "rollback_started", "rollback_paused", "rollback_completed");

    /**
     * One look at a stack: its services ({@code GET /services?status=true}), their tasks, and the
     * containers publishing the {@link #contestedPorts} (any others are ignored; none on the common path).
     */
    public record Snapshot(List<Service> services, List<Task> tasks, List<Container> portHolders) {
        public Snapshot {
            services = List.copyOf(services);
            tasks = List.copyOf(tasks);
            portHolders = List.copyOf(portHolders);
        }

        public Snapshot(List<Service> services, List<Task> tasks) {
            this(services, tasks, List.of());
        }
    }

    /**
     * What the watcher knows beyond one snapshot.
     *
     * @param updated IDs of the services this run updated: an update of one of them that Swarm paused or
     *     rolled back (its {@code UpdateStatus}) is a failure at once, with the engine's message. The engine
     *     clears a service's update status when it is updated, so what it says then is about this update.
     * @param startingSince since when (engine time) a task was seen starting, by task ID. A task whose
     *     container has a healthcheck stays "starting" until the check passes, so it has proved itself alive
     *     that long: its monitor window counts from its start. Without a healthcheck "running" comes the
     *     moment the container starts, and the window counts from then.
     * @param nodeComingBack IDs of tasks that {@link #waitsForANode} while a node is on its way back (the
     *     engine restarted, or a node that takes tasks is not ready yet): those wait, since the scheduler
     *     places them when it is. Any other such task fails: every node is drained, paused or gone.
     * @param containerStarted when (engine time) a task's container started, by task ID, where the engine
     *     says (a container on this node). Swarm reports a task running only once it has also wired the
     *     container into its networks' load balancing, often half a second after the process started: a
     *     task still running has been up since its container started, and its window counts from then.
     * @param containerDown IDs of tasks swarm still calls running whose container the engine says has
     *     stopped: swarm reports the exit a moment later, so such a task is not counted (the next look
     *     sees it fail).
     */
    public record Observed(Set<String> updated, Map<String, Instant> startingSince, Set<String> nodeComingBack,
                           Map<String, Instant> containerStarted, Set<String> containerDown) {
        public static final Observed NOTHING = new Observed(Set.of(), Map.of(), Set.of());

        public Observed(Set<String> updated, Map<String, Instant> startingSince, Set<String> nodeComingBack) {
            this(updated, startingSince, nodeComingBack, Map.of(), Set.of());
        }

        public static Observed updated(Set<String> updated) {
            return new Observed(updated, Map.of(), Set.of());
        }
    }

    /**
     * The host-mode ports (as {@code 8080/tcp}) of the services that have a task the scheduler
     * cannot place because one is in use: what the snapshot's port holders must cover. Empty on the
     * common path, where no container list is needed.
     */
    public static List<String> contestedPorts(List<Service> services, List<Task> tasks) {
        List<String> out = new ArrayList<>();
        for (Service s : services) {
            if (tasks.stream().anyMatch(t -> s.id().equals(t.serviceId()) && HostPortConflict.reported(t))) {
                HostPortConflict.hostPorts(s).stream().filter(p -> !out.contains(p)).forEach(out::add);
            }
        }
        return out;
    }

    /**
     * The scheduler's reason when the only thing between a task and a node is that no node takes
     * tasks right now ("1 node not available for new tasks"): a node down, drained or paused, or an
     * engine that has just restarted and not yet seen itself ready again.
     */
    static final Pattern NO_NODE_AVAILABLE = Pattern.compile("no suitable node \\(\\d+ nodes? (?:is |are )?not available for new tasks\\)");

    /** Whether the scheduler could not place {@code task} only because no node takes tasks right now. */
    public static boolean waitsForANode(Task task) {
        return task.state().early() && NO_NODE_AVAILABLE.matcher(task.error()).find();
    }

    /** {@link #evaluate(Snapshot, Instant, Duration, Observed)} knowing nothing beyond the snapshot. */
    public static Verdict evaluate(Snapshot now, Instant at, Duration window) {
        return evaluate(now, at, window, Observed.NOTHING);
    }

    public static Verdict evaluate(Snapshot snapshot, Instant now, Duration window, Observed observed) {
        List<PortHolder> holders = PortHolder.of(snapshot.portHolders());
        List<ServiceProgress> progress = new ArrayList<>();
        boolean allDone = true;
        Instant lastRunning = Instant.EPOCH;
        Instant windowEnds = null;
        TaskFailure failure = null;
        List<Service> byName = new ArrayList<>(snapshot.services());
        byName.sort(java.util.Comparator.comparing(Service::name));
        for (Service s : byName) {
            String name = s.name();
            Service.Mode mode = s.mode();
            JsonNode template = s.taskTemplate();
            List<Task> own = snapshot.tasks().stream().filter(t -> s.id().equals(t.serviceId())).toList();
            boolean job = mode.job();
            int running = 0;
            int completed = 0;
            String furthest = own.isEmpty() ? "pending" : "preparing";
            for (Task t : own) {
                TaskState state = t.state();
                String desired = t.desiredState();
                // A task of an older spec that was told to stop is the old release going away, however it
                // ends: the engine (20.10) fails an old task it killed after its stop grace when another task
                // leaves the same network at once ("error while removing network: unknown network").
                boolean replaced = STOPPED.contains(desired) && !currentSpec(t, template);
                boolean failed = !replaced && (state == TaskState.FAILED || state == TaskState.REJECTED
                        || (!job && state == TaskState.COMPLETE));
                boolean unschedulable = state.early() && t.error().contains("no suitable node")
                        && !observed.nodeComingBack().contains(t.id());
                if (unschedulable && failure == null && HostPortConflict.reported(t)) {
                    switch (HostPortConflict.decide(s, t, snapshot.services(), snapshot.tasks(), holders, now)) {
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
                if (state == TaskState.RUNNING && t.desiredRunning() && currentSpec(t, template)) {
                    Instant since = t.timestamp() == null ? now : t.timestamp();
                    Instant starting = healthchecked(template) ? observed.startingSince().get(t.id()) : null;
                    Instant up = starting != null && starting.isBefore(since) ? starting : since;
                    Instant started = observed.containerStarted().get(t.id());
                    up = started != null && started.isBefore(up) ? started : up;
                    boolean down = observed.containerDown().contains(t.id());
                    Instant held = up.plus(window);
                    if (!held.isAfter(now) && !down) {
                        running++;
                        lastRunning = since.isAfter(lastRunning) ? since : lastRunning;
                    } else {
                        furthest = "starting";
                        if (!down && (windowEnds == null || held.isBefore(windowEnds))) {
                            windowEnds = held;
                        }
                    }
                } else if (state == TaskState.COMPLETE) {
                    completed++;
                } else if (state.early() && !t.desiredShutdown()) {
                    furthest = state.engineName();
                }
            }
            String update = s.update().state() == null ? "" : s.update().state();
            boolean ours = observed.updated().contains(s.id());
            // an update another run left paused or rolled back is how the service is now, not progress to wait for
            boolean updating = UPDATING.contains(update) || (ours && GAVE_UP.contains(update));
            if (ours && GAVE_UP.contains(update) && failure == null) {
                failure = TaskFailure.updateGaveUp(name, update, s.update().message() == null ? "" : s.update().message());
            }
            int desiredTasks;
            int ready;
            switch (mode.kind()) {
                case REPLICATED -> {
                    desiredTasks = mode.count();
                    ready = running;
                }
                case REPLICATED_JOB -> {
                    desiredTasks = mode.count();
                    ready = completed;
                }
                default -> {
                    boolean globalJob = mode.kind() == Service.Mode.Kind.GLOBAL_JOB;
                    desiredTasks = s.desiredTasks() == null ? 0 : s.desiredTasks();
                    if (globalJob) {
                        desiredTasks = Math.max(desiredTasks, own.size());
                    }
                    ready = globalJob ? completed : running;
                    Instant created = s.createdAt() == null ? now : s.createdAt();
                    if (desiredTasks == 0 && own.isEmpty() && !created.plus(NO_NODE_GRACE).isAfter(now) && failure == null) {
                        failure = new TaskFailure(name, TaskFailure.Kind.NO_SUITABLE_NODE,
                                "no node satisfies the placement constraints of this global service", null, null, List.of());
                    }
                }
            }
            boolean done = ready >= desiredTasks && desiredTasks > 0 && !updating
                    || (desiredTasks == 0 && mode.kind() == Service.Mode.Kind.REPLICATED);
            allDone &= done;
            String state = updating ? "update " + update : done ? (job ? "completed" : "running") : furthest;
            progress.add(new ServiceProgress(name, mode.kind().toString(), ready, desiredTasks, state));
        }
        if (failure != null) {
            return new Verdict.Failing(progress, failure);
        }
        return allDone ? new Verdict.Converged(progress, lastRunning) : new Verdict.Waiting(progress, windowEnds);
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
    private static boolean currentSpec(Task task, JsonNode template) {
        JsonNode spec = task.spec();
        for (String field : CONTAINER_FIELDS) {
            if (!spec.path("ContainerSpec").path(field).equals(template.path("ContainerSpec").path(field))) {
                return false;
            }
        }
        return spec.path("ForceUpdate").asLong(0) == template.path("ForceUpdate").asLong(0);
    }
}
