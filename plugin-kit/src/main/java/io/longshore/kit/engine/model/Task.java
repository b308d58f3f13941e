package io.longshore.kit.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A swarm task as {@code GET /tasks} lists it. {@code spec} is the task's copy of its service's task
 * template, for telling which version of the service a task runs; {@code timestamp} is when it
 * entered its current state.
 */
public record Task(String id, String serviceId, String nodeId, Integer slot, TaskState state, String desiredState,
                   String error, String message, String containerId, Integer exitCode, Instant timestamp,
                   Instant createdAt, JsonNode spec) {

    public static Task from(JsonNode n) {
        JsonNode status = n.path("Status");
        JsonNode cs = status.path("ContainerStatus");
        String container = Json.text(cs, "ContainerID");
        return new Task(Json.textOr(n, "ID", ""), Json.textOr(n, "ServiceID", ""), Json.textOr(n, "NodeID", ""),
                Json.integer(n, "Slot"), TaskState.of(Json.text(status, "State")), Json.textOr(n, "DesiredState", ""),
                Json.textOr(status, "Err", ""), Json.textOr(status, "Message", ""),
                container == null || container.isBlank() ? null : container, Json.integer(cs, "ExitCode"),
                Json.time(status, "Timestamp"), Json.time(n, "CreatedAt"), n.path("Spec"));
    }

    public boolean desiredRunning() {
        return "running".equals(desiredState);
    }

    public boolean desiredShutdown() {
        return "shutdown".equals(desiredState);
    }

    public boolean hasContainer() {
        return containerId != null;
    }

    /** The engine's error when it has one, else its status message. */
    public String reason() {
        return error.isEmpty() ? message : error;
    }
}
