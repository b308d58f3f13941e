package io.longshore.deploy.converge;

import io.longshore.kit.engine.model.PublishedPort;
import io.longshore.kit.engine.model.Service;
import io.longshore.kit.engine.model.Task;
import io.longshore.kit.engine.model.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a task that Swarm's scheduler cannot place because "host-mode port already in use"
 * should be waited on or fails, decided from what holds the port, not from how long it has waited.
 *
 * <p>The scheduler counts a host port as used while a task publishing it is between assigned and
 * running, writes that error on the task once, and looks at pending tasks again after any task
 * changes (swarmkit batches changes for at most 1 s). During a stop-first update the old task's
 * container keeps the port for its whole stop grace, longer when its process ignores SIGTERM, and
 * the new task shows the error until the scheduler has seen the old one stop. So the port is this
 * run's and being freed while a container of the service (or of a service the update removed)
 * publishes it, while the scheduler still counts one of the service's tasks, and for one scheduler
 * pass after the last of them ended. Anything else holds it for good: a container of another stack
 * or outside Swarm (named), or what the engine does not list (a process, another node).
 */
final class HostPortConflict {
    /** The scheduler's explanation, inside "no suitable node (...)". */
    static final String SCHEDULER_ERROR = "host-mode port already in use";
    /** How long after a task of the service ended an error written before that still counts as stale: a scheduler pass and margin. */
    static final Duration SCHEDULER_PASS = Duration.ofSeconds(5);
    /** States in which the scheduler counts a task's host ports as used on its node. */
    private static final Set<TaskState> SCHEDULED = EnumSet.of(TaskState.ASSIGNED, TaskState.ACCEPTED, TaskState.PREPARING,
            TaskState.READY, TaskState.STARTING, TaskState.RUNNING);
    /** States of a task that has not reached a node yet, so never held a port. */
    private static final Set<TaskState> UNPLACED = EnumSet.of(TaskState.NEW, TaskState.ALLOCATED, TaskState.PENDING);

    private HostPortConflict() {}

    sealed interface Decision {
        /** The port is this run's and being freed. */
        record Wait(String why) implements Decision {}

        /** Nothing this run does will free it; {@code reason} names the holder. */
        record Held(String reason) implements Decision {}
    }

    static boolean reported(Task task) {
        return task.error().contains(SCHEDULER_ERROR);
    }

    /** The host-mode ports a service publishes, as {@code 8080/tcp}. */
    static List<String> hostPorts(Service service) {
        List<String> out = new ArrayList<>();
        for (PublishedPort p : service.ports()) {
            String port = p.published() + "/" + p.protocol();
            if (p.hostMode() && p.published() > 0 && !out.contains(port)) {
                out.add(port);
            }
        }
        return out;
    }

    /**
     * @param service the task's service, from {@code GET /services}
     * @param services every service of the run
     * @param tasks every task of those services
     * @param holders the engine's containers that publish one of the service's host ports
     */
    static Decision decide(Service service, Task task, List<Service> services, List<Task> tasks, List<PortHolder> holders,
                           Instant now) {
        String id = service.id();
        String stack = service.labels().getOrDefault(io.longshore.kit.stack.RunLabels.STACK_NAMESPACE, "");
        List<String> ports = hostPorts(service);
        List<PortHolder> on = holders.stream().filter(h -> ports.contains(h.port())).toList();
        for (PortHolder h : on) {
            if (!h.serviceId().equals(id) && (stack.isEmpty() || !stack.equals(h.stack()))) {
                return new Decision.Held("port " + shown(h.port()) + " is held by " + h.name() + ", not by this run");
            }
        }
        for (PortHolder h : on) {
            if (!h.serviceId().equals(id) && staying(h, services, tasks)) {
                return new Decision.Held("port " + shown(h.port()) + " is held by " + h.name() + ", another service of this run");
            }
        }
        if (!on.isEmpty()) {
            PortHolder h = on.getFirst();
            return new Decision.Wait(h.container() + " of this run still publishes " + shown(h.port()));
        }
        List<Task> siblings = tasks.stream().filter(o -> id.equals(o.serviceId()) && !task.id().equals(o.id())).toList();
        Optional<Task> counted = siblings.stream().filter(o -> SCHEDULED.contains(o.state())).findFirst();
        if (counted.isPresent()) {
            return new Decision.Wait("the scheduler still counts task " + counted.get().id() + " (" + counted.get().state() + ")");
        }
        // none counted now: the latest that ended freed the port then, in the scheduler's eyes
        Instant errorAt = task.timestamp();
        Optional<Instant> freed = siblings.stream().filter(o -> !UNPLACED.contains(o.state())).map(Task::timestamp)
                .filter(t -> t != null && errorAt != null && t.isAfter(errorAt)).max(Instant::compareTo);
        if (freed.isPresent() && freed.get().plus(SCHEDULER_PASS).isAfter(now)) {
            return new Decision.Wait("the service's task that held the port ended at " + freed.get() + ", after the scheduler's error");
        }
        String which = ports.isEmpty() ? "a host-mode port" : "port " + String.join(" or ", ports.stream().map(HostPortConflict::shown).toList());
        return new Decision.Held(which + " is held by a process outside Docker or on another node, not by this run");
    }

    /** A container of another service of this run that is meant to keep running (not one an update is stopping). */
    private static boolean staying(PortHolder h, List<Service> services, List<Task> tasks) {
        boolean live = services.stream().anyMatch(s -> s.id().equals(h.serviceId()));
        return live && tasks.stream().anyMatch(t -> t.id().equals(h.taskId()) && t.desiredRunning());
    }

    /** {@code 8080} for TCP, {@code 53/udp} otherwise. */
    private static String shown(String port) {
        return port.endsWith("/tcp") ? port.substring(0, port.length() - 4) : port;
    }
}
