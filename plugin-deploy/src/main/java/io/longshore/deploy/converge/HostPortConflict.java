package io.longshore.deploy.converge;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
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
    private static final Set<String> SCHEDULED = Set.of("assigned", "accepted", "preparing", "ready", "starting", "running");
    /** States of a task that has not reached a node yet, so never held a port. */
    private static final Set<String> UNPLACED = Set.of("new", "allocated", "pending");

    private HostPortConflict() {}

    sealed interface Decision {
        /** The port is this run's and being freed. */
        record Wait(String why) implements Decision {}

        /** Nothing this run does will free it; {@code reason} names the holder. */
        record Held(String reason) implements Decision {}
    }

    static boolean reported(JsonNode task) {
        return task.path("Status").path("Err").asText("").contains(SCHEDULER_ERROR);
    }

    /** The host-mode ports a service publishes, as {@code 8080/tcp}. */
    static List<String> hostPorts(JsonNode service) {
        JsonNode ports = service.path("Endpoint").path("Spec").path("Ports");
        if (ports.isEmpty()) {
            ports = service.path("Spec").path("EndpointSpec").path("Ports");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode p : ports) {
            int published = p.path("PublishedPort").asInt(0);
            String port = published + "/" + p.path("Protocol").asText("tcp");
            if ("host".equals(p.path("PublishMode").asText()) && published > 0 && !out.contains(port)) {
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
    static Decision decide(JsonNode service, JsonNode task, List<JsonNode> services, List<JsonNode> tasks, List<PortHolder> holders,
                           Instant now) {
        String id = service.path("ID").asText();
        String stack = service.path("Spec").path("Labels").path("com.docker.stack.namespace").asText("");
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
        String taskId = task.path("ID").asText();
        List<JsonNode> siblings = tasks.stream()
                .filter(o -> id.equals(o.path("ServiceID").asText()) && !taskId.equals(o.path("ID").asText())).toList();
        Optional<JsonNode> counted = siblings.stream().filter(o -> SCHEDULED.contains(state(o))).findFirst();
        if (counted.isPresent()) {
            return new Decision.Wait("the scheduler still counts task " + counted.get().path("ID").asText() + " (" + state(counted.get()) + ")");
        }
        // none counted now: the latest that ended freed the port then, in the scheduler's eyes
        Instant errorAt = at(task);
        Optional<Instant> freed = siblings.stream().filter(o -> !UNPLACED.contains(state(o))).map(HostPortConflict::at)
                .filter(t -> t != null && errorAt != null && t.isAfter(errorAt)).max(Instant::compareTo);
        if (freed.isPresent() && freed.get().plus(SCHEDULER_PASS).isAfter(now)) {
            return new Decision.Wait("the service's task that held the port ended at " + freed.get() + ", after the scheduler's error");
        }
        String which = ports.isEmpty() ? "a host-mode port" : "port " + String.join(" or ", ports.stream().map(HostPortConflict::shown).toList());
        return new Decision.Held(which + " is held by a process outside Docker or on another node, not by this run");
    }

    /** A container of another service of this run that is meant to keep running (not one an update is stopping). */
    private static boolean staying(PortHolder h, List<JsonNode> services, List<JsonNode> tasks) {
        boolean live = services.stream().anyMatch(s -> s.path("ID").asText().equals(h.serviceId()));
        return live && tasks.stream().anyMatch(t -> t.path("ID").asText().equals(h.taskId()) && "running".equals(t.path("DesiredState").asText()));
    }

    private static String state(JsonNode task) {
        return task.path("Status").path("State").asText();
    }

    /** When the task's status last changed (engine time), or null. */
    private static Instant at(JsonNode task) {
        try {
            return Instant.parse(task.path("Status").path("Timestamp").asText(""));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** {@code 8080} for TCP, {@code 53/udp} otherwise. */
    private static String shown(String port) {
        return port.endsWith("/tcp") ? port.substring(0, port.length() - 4) : port;
    }
}
