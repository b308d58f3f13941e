package io.longshore.deploy.converge;

import io.longshore.kit.engine.Engine;
import io.longshore.kit.engine.EngineApiException;
import io.longshore.kit.engine.EngineReader;
import io.longshore.kit.engine.Filter;
import io.longshore.kit.engine.model.Container;
import io.longshore.kit.engine.model.Service;
import io.longshore.kit.engine.model.Task;
import io.longshore.kit.engine.model.TaskState;
import io.longshore.kit.output.Events;
import io.longshore.kit.run.ShutdownHooks;
import io.longshore.kit.wait.Deadline;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Watches a stack's services and tasks, looking again whenever the engine reports an event of one
 * of its containers (and at least every {@link #SAFETY_NET}; every {@link #POLL} without events),
 * until {@link Convergence} says it has converged, a task fails (then it stops at once, with the container's last log lines when it
 * exited), the deadline passes, or the process is asked to end. While a task waits for a host-mode
 * port, each poll also lists the containers publishing it.
 */
public final class ConvergeWatcher {
    /** How often a watch looks when it cannot follow the engine's events. */
    public static final Duration POLL = Duration.ofMillis(250);
    /** The first look after a change or an event; doubled while nothing moves, up to {@link #SAFETY_NET}. */
    static final Duration FIRST_LOOK = Duration.ofMillis(20);
    /** The longest a watch that follows the engine's events goes without looking (scheduling has no container events). */
    static final Duration SAFETY_NET = Duration.ofMillis(500);
    /** The longest a {@link #steady} watch goes without looking. */
    static final Duration STEADY_LOOK = Duration.ofMillis(100);
    /** Running tasks must stay up this long to count; short, so a converged stack is reported within a second. */
    public static final Duration MONITOR = Duration.ofMillis(500);
    private static final int LOG_LINES = 15;

    private final Engine engine;
    /** Since when (engine time) each task was first seen starting, across this watcher's {@link #watch} and {@link #steady}. */
    private final java.util.Map<String, Instant> startingSince = new java.util.concurrent.ConcurrentHashMap<>();
    /** When each task's container started (engine time), for the tasks whose container this engine runs. */
    private final java.util.Map<String, Instant> containerStarted = new java.util.concurrent.ConcurrentHashMap<>();
    /** Tasks whose container this engine does not have (another node's): their window counts from running. */
    private final Set<String> containerElsewhere = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Events events;
    private final ShutdownHooks hooks;
    private final Clock clock;

    public sealed interface Result {
        List<ServiceProgress> services();

        record Converged(List<ServiceProgress> services, Instant lastRunning, Instant convergedAt) implements Result {}

        record Failed(List<ServiceProgress> services, TaskFailure failure) implements Result {}

        record TimedOut(List<ServiceProgress> services, Duration waited) implements Result {}

        record Interrupted(List<ServiceProgress> services) implements Result {}
    }

    public ConvergeWatcher(Engine engine, Events events, ShutdownHooks hooks, Clock clock) {
        this.engine = engine;
        this.events = events;
        this.hooks = hooks;
        this.clock = clock;
    }

    /** {@link #watch(String, Duration, Set)} of a stack this run created or left as it was. */
    public Result watch(String stack, Duration timeout) throws InterruptedException {
        return watch(stack, timeout, Set.of());
    }

    /**
     * Watches {@code stack} until every task runs on its service's current spec ("converged"), a task
     * fails, the deadline passes or the process is asked to end, printing each change of progress.
     * {@code updated} are the IDs of the services this run updated. What remains to hold is the
     * monitor window: {@link #steady}.
     */
    public Result watch(String stack, Duration timeout, Set<String> updated) throws InterruptedException {
        return loop(stack, timeout, updated, Duration.ZERO, true);
    }

    /**
     * After {@link #watch}: watches, quietly, until every task has run for the {@link #MONITOR}
     * window without failing (a task that crashes right after starting fails the deploy). Meant to
     * run while the health gate probes: the verdict needs both.
     */
    public Result steady(String stack, Duration timeout, Set<String> updated) throws InterruptedException {
        return loop(stack, timeout, updated, MONITOR, false);
    }

    private Result loop(String stack, Duration timeout, Set<String> updated, Duration window, boolean report) throws InterruptedException {
        try (StackEvents changes = StackEvents.follow(engine, stack)) {
            return loop(stack, timeout, updated, window, report, changes);
        }
    }

    private Result loop(String stack, Duration timeout, Set<String> updated, Duration window, boolean report, StackEvents changes)
            throws InterruptedException {
        Instant start = clock.instant();
        Instant deadline = start.plus(timeout);
        String lastLine = "";
        List<ServiceProgress> last = List.of();
        Filter ofStack = Filter.label(io.longshore.kit.stack.RunLabels.STACK_NAMESPACE, stack);
        Duration pause = FIRST_LOOK;
        // the monitor window ends at a time known in advance: look often enough to see it end
        Duration most = window.isZero() ? SAFETY_NET : STEADY_LOOK;
        // an engine that is away, or accepts a poll and never answers it, is waited for no longer than the deadline
        Engine polls = engine.within(Deadline.in(timeout));
        EngineReader read = new EngineReader(polls);
        while (true) {
            if (hooks.shuttingDown()) {
                return new Result.Interrupted(last);
            }
            List<Service> services;
            List<Task> tasks = new ArrayList<>();
            try {
                services = read.services(ofStack);
                if (!services.isEmpty()) {
                    tasks = read.tasks(Filter.service(services.stream().map(Service::id).toList())).stream()
                            .filter(t -> !stoppedByOutage(t)).toList();
                }
            } catch (EngineApiException e) {
                if (hooks.shuttingDown()) {
                    // the exit hook's teardown removed a service between the two lists: the run is ending
                    return new Result.Interrupted(last);
                }
                throw e;
            }
            Instant now = clock.instant();
            for (Task t : tasks) {
                if (t.state() == TaskState.STARTING && t.desiredRunning() && t.timestamp() != null) {
                    startingSince.putIfAbsent(t.id(), t.timestamp()); // without a time the window counts from running
                }
            }
            Set<String> down = readContainers(polls, tasks, !window.isZero());
            Convergence.Snapshot snapshot = new Convergence.Snapshot(services, tasks, portHolders(read, services, tasks));
            Convergence.Verdict v = Convergence.evaluate(snapshot, now, window,
                    new Convergence.Observed(updated, startingSince, nodeComingBack(read, tasks), containerStarted, down));
            last = v.services();
            String line = String.join(", ", v.services().stream().map(ServiceProgress::toString).toList());
            if (!line.equals(lastLine)) {
                if (report) {
                    events.progress(line);
                }
                lastLine = line;
                pause = FIRST_LOOK; // something moves: the next step usually follows within milliseconds
            }
            switch (v) {
                case Convergence.Verdict.Converged c -> {
                    return new Result.Converged(c.services(), c.lastRunning(), now);
                }
                case Convergence.Verdict.Failing f -> {
                    TaskFailure failure = f.failure();
                    if (failure.kind() == TaskFailure.Kind.CONTAINER_EXITED || failure.kind() == TaskFailure.Kind.HEALTHCHECK_FAILING) {
                        failure = failure.withLogs(failure.taskId() == null || failure.taskId().isEmpty() ? List.of()
                                : new EngineReader(engine).taskLogs(failure.taskId(), LOG_LINES));
                    } else if (failure.kind() == TaskFailure.Kind.IMAGE_NOT_FOUND) {
                        String name = failure.service();
                        String image = services.stream().filter(x -> x.name().equals(name)).findFirst().map(Service::image).orElse("");
                        String answer = pullError(image);
                        if (answer != null) {
                            failure = failure.withPullAnswer(answer);
                        }
                    }
                    return new Result.Failed(f.services(), failure);
                }
                case Convergence.Verdict.Waiting w -> { }
            }
            if (!now.isBefore(deadline)) {
                return new Result.TimedOut(last, Duration.between(start, now));
            }
            Duration wait = nextLookWithin(now, deadline, v);
            if (changes.live()) {
                // the engine says when a container of the stack changes; a task's state follows it within
                // milliseconds, so after each event look again soon, then less often up to the safety net
                if (changes.await(min(pause, wait))) {
                    pause = FIRST_LOOK;
                } else {
                    pause = min(pause.multipliedBy(2), most);
                }
            } else {
                Thread.sleep(min(min(POLL, most), wait).toMillis());
            }
        }
    }

    /**
     * Reads when the containers of tasks starting or running started (once each, while the scheduler
     * finishes wiring them up), so a window can count from the process's real start; while a window
     * is held ({@code recheck}), also whether each is still up, since swarm reports an exit a moment
     * after it. Returns the tasks swarm calls running whose container has stopped. One inspect per
     * container and look, not one list of them: tried, the list still called a container running
     * after it had died (the engine seems to update the list's view after cleaning up an exited
     * container), and a crash near the window's end passed; DeployFailsFastIT caught it.
     */
    private Set<String> readContainers(Engine polls, List<Task> tasks, boolean recheck) {
        Set<String> down = new HashSet<>();
        for (Task t : tasks) {
            boolean up = t.state() == TaskState.RUNNING || t.state() == TaskState.STARTING;
            if (!up || !t.desiredRunning() || t.containerId() == null || t.containerId().isEmpty() || containerElsewhere.contains(t.id())
                    || (containerStarted.containsKey(t.id()) && !(recheck && t.state() == TaskState.RUNNING))) {
                continue;
            }
            try {
                com.fasterxml.jackson.databind.JsonNode state = polls.get("/containers/" + t.containerId() + "/json").path("State");
                Instant at = Instant.parse(state.path("StartedAt").asText(""));
                if (state.path("Running").asBoolean(false) && at.isAfter(Instant.EPOCH)) {
                    containerStarted.putIfAbsent(t.id(), at);
                } else if (containerStarted.containsKey(t.id()) || t.state() == TaskState.RUNNING) {
                    down.add(t.id()); // it ran and has stopped: swarm says so next
                }
            } catch (EngineApiException e) {
                if (e.status() == 404 && containerStarted.containsKey(t.id())) {
                    down.add(t.id()); // it ran here and is gone already
                } else {
                    containerElsewhere.add(t.id()); // not on this node: its window counts from running
                }
            } catch (java.time.format.DateTimeParseException e) {
                containerElsewhere.add(t.id());
            }
        }
        return down;
    }

    /**
     * The longest the wait before the next look may last: to the deadline, or, since a task's monitor
     * window ends at a time known in advance, to that end when it comes first (not up to a pause later).
     */
    static Duration nextLookWithin(Instant now, Instant deadline, Convergence.Verdict verdict) {
        Duration wait = Duration.between(now, deadline);
        if (verdict instanceof Convergence.Verdict.Waiting w && w.windowEnds() != null) {
            wait = min(wait, atLeastAMilli(Duration.between(now, w.windowEnds())));
        }
        return wait;
    }

    /** {@code d} in whole milliseconds, rounded up, and at least one: the waits below count in milliseconds. */
    private static Duration atLeastAMilli(Duration d) {
        long ms = d.isNegative() ? 0 : (d.toNanos() + 999_999) / 1_000_000;
        return Duration.ofMillis(Math.max(1, ms));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /**
     * A task the engine stopped by going away (a restart kills every container; swarm then reports
     * its tasks failed, "No such container") is not the app failing: swarm starts a new one, and the
     * stack converges on that. Told by the time it ended, inside an outage this connection saw.
     */
    private boolean stoppedByOutage(Task task) {
        if (task.state() != TaskState.FAILED && task.state() != TaskState.REJECTED) {
            return false;
        }
        return coveredByOutage(task);
    }

    /**
     * The tasks the scheduler could not place only because no node takes tasks, while a node is on its
     * way back: the error was written during or just after an outage this connection saw (a restarted
     * manager marks its nodes unknown until they report again), or a node that takes tasks is not
     * ready now. The nodes are listed only when such a task is there.
     */
    private Set<String> nodeComingBack(EngineReader read, List<Task> tasks) {
        List<Task> waiting = tasks.stream().filter(Convergence::waitsForANode).toList();
        if (waiting.isEmpty()) {
            return Set.of();
        }
        Set<String> out = new HashSet<>();
        List<Task> rest = new ArrayList<>();
        for (Task t : waiting) {
            if (coveredByOutage(t)) {
                out.add(t.id());
            } else {
                rest.add(t);
            }
        }
        if (!rest.isEmpty()) {
            boolean returning = read.nodes(Filter.NONE).stream().anyMatch(n -> "active".equals(n.availability()) && !"ready".equals(n.state()) && !"down".equals(n.state()));
            if (returning) {
                rest.forEach(t -> out.add(t.id()));
            }
        }
        return out;
    }

    /** The task's state began during an outage this connection saw, or just around it. */
    private boolean coveredByOutage(Task task) {
        return task.timestamp() != null && engine.outages().covers(task.timestamp(), OUTAGE_SLACK);
    }

    /** The engine stops containers just before it stops answering, and records their end as it comes back. */
    static final Duration OUTAGE_SLACK = Duration.ofSeconds(10);

    /**
     * The containers that publish a host-mode port a task waits for, from any stack or none: read
     * only while the scheduler says such a port is in use, so a poll without that costs no call.
     */
    private static List<Container> portHolders(EngineReader read, List<Service> services, List<Task> tasks) {
        List<String> ports = Convergence.contestedPorts(services, tasks);
        return ports.isEmpty() ? List.of() : read.containers(Filter.NONE.and("publish", ports.toArray(String[]::new)));
    }

    /** What the registry answers when the engine pulls {@code image} now, or null when the pull works. */
    String pullError(String image) {
        if (image.isBlank()) {
            return null;
        }
        String ref = image;
        int slash = ref.lastIndexOf('/');
        if (!ref.contains("@") && ref.indexOf(':', slash + 1) < 0) {
            ref = ref + ":latest"; // without a tag the engine would pull every tag
        }
        try {
            engine.post("/images/create?fromImage=" + URLEncoder.encode(ref, StandardCharsets.UTF_8), null);
            return null;
        } catch (EngineApiException e) {
            return e.getMessage().replaceFirst("^POST \\S+: ", "");
        } catch (RuntimeException e) {
            return null;
        }
    }
}
