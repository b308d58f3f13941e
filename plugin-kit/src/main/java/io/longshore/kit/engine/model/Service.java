package io.longshore.kit.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A swarm service as {@code GET /services?status=true} lists it. {@code spec} is the engine's spec,
 * as an update must send it back (at {@code version}); the rest is what longshore's rules read.
 */
public record Service(String id, long version, String name, Map<String, String> labels, Mode mode, ObjectNode spec,
                      Instant createdAt, UpdateStatus update, Integer runningTasks, Integer desiredTasks,
                      List<PublishedPort> ports) {

    public Service {
        ports = List.copyOf(ports);
    }

    /** How swarm schedules the service's tasks; {@code count} is replicas or total completions (null for global kinds). */
    public record Mode(Kind kind, Integer count) {
        public enum Kind {
            REPLICATED("replicated"), GLOBAL("global"), REPLICATED_JOB("replicated-job"), GLOBAL_JOB("global-job");

            private final String words;

            Kind(String words) {
                this.words = words;
            }

            @Override
            public String toString() {
                return words;
            }
        }

        public static Mode of(JsonNode mode) {
            if (mode.has("Global")) {
                return new Mode(Kind.GLOBAL, null);
            }
            if (mode.has("ReplicatedJob")) {
                return new Mode(Kind.REPLICATED_JOB, mode.path("ReplicatedJob").path("TotalCompletions").asInt(1));
            }
            if (mode.has("GlobalJob")) {
                return new Mode(Kind.GLOBAL_JOB, null);
            }
            return new Mode(Kind.REPLICATED, mode.path("Replicated").path("Replicas").asInt(1));
        }

        public boolean job() {
            return kind == Kind.REPLICATED_JOB || kind == Kind.GLOBAL_JOB;
        }

        public boolean global() {
            return kind == Kind.GLOBAL || kind == Kind.GLOBAL_JOB;
        }
    }

    /**
     * Swarm's record of the last update: {@code state} is updating, paused, completed,
     * rollback_started, rollback_paused or rollback_completed (null when the service was never updated).
     */
    public record UpdateStatus(String state, String message, Instant startedAt, Instant completedAt) {
        public static final UpdateStatus NONE = new UpdateStatus(null, null, null, null);

        static UpdateStatus of(JsonNode n) {
            return n.isMissingNode() || n.isNull() ? NONE
                    : new UpdateStatus(Json.text(n, "State"), Json.text(n, "Message"), Json.time(n, "StartedAt"), Json.time(n, "CompletedAt"));
        }

        /** An update or rollback is under way or stopped half-way. */
        public boolean inProgress() {
            return state != null && (state.equals("updating") || state.equals("paused") || state.startsWith("rollback"));
        }

        /** Swarm gave up on the update: it paused it or rolled it back. */
        public boolean gaveUp() {
            return state != null && (state.equals("paused") || state.startsWith("rollback"));
        }
    }

    public static Service from(JsonNode n) {
        JsonNode spec = n.path("Spec");
        JsonNode status = n.path("ServiceStatus");
        List<PublishedPort> ports = new ArrayList<>();
        n.path("Endpoint").path("Ports").forEach(p -> ports.add(PublishedPort.ofService(p)));
        if (ports.isEmpty()) {
            spec.path("EndpointSpec").path("Ports").forEach(p -> ports.add(PublishedPort.ofService(p)));
        }
        return new Service(Json.textOr(n, "ID", ""), n.path("Version").path("Index").asLong(), Json.textOr(spec, "Name", ""),
                Json.labels(spec.path("Labels")), Mode.of(spec.path("Mode")),
                spec.isObject() ? (ObjectNode) spec : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(),
                Json.time(n, "CreatedAt"), UpdateStatus.of(n.path("UpdateStatus")), Json.integer(status, "RunningTasks"),
                Json.integer(status, "DesiredTasks"), ports);
    }

    public String label(String key) {
        return labels.get(key);
    }

    public JsonNode taskTemplate() {
        return spec.path("TaskTemplate");
    }

    public String image() {
        return taskTemplate().path("ContainerSpec").path("Image").asText("");
    }

    /** The grace a task gets between SIGTERM and SIGKILL (swarm's default is 10 s). */
    public Duration stopGracePeriod() {
        JsonNode ns = taskTemplate().path("ContainerSpec").path("StopGracePeriod");
        return ns.isNumber() ? Duration.ofNanos(ns.asLong()) : Duration.ofSeconds(10);
    }
}
