package io.longshore.deploy.converge;

import io.longshore.kit.engine.model.Task;
import io.longshore.kit.engine.model.TaskState;
import java.util.List;
import java.util.Locale;

/**
 * Why a task failed, in plain words, next to the engine's own message. {@code logs} are the last
 * lines of the container's output when it exited; {@code reason}, when not null, says more than the
 * kind's words (who holds a port).
 */
public record TaskFailure(String service, Kind kind, String engineMessage, Integer exitCode, String taskId, List<String> logs,
                          String reason) {
    public TaskFailure {
        logs = List.copyOf(logs);
    }

    public TaskFailure(String service, Kind kind, String engineMessage, Integer exitCode, String taskId, List<String> logs) {
        this(service, kind, engineMessage, exitCode, taskId, logs, null);
    }

    public enum Kind {
        IMAGE_NOT_FOUND("image not found"),
        PULL_RATE_LIMIT("registry pull rate limit reached"),
        REGISTRY_AUTH("registry refused the credentials"),
        NO_SUITABLE_NODE("no suitable node (placement constraints or resources cannot be met)"),
        PORT_IN_USE("a host-mode port it publishes is in use"),
        UPDATE_PAUSED("Swarm paused its update"),
        UPDATE_ROLLED_BACK("Swarm rolled its update back"),
        MOUNT_ERROR("mount or volume error"),
        HEALTHCHECK_FAILING("healthcheck failing"),
        CONTAINER_EXITED("container exited"),
        TASK_FAILED("task failed");

        private final String words;

        Kind(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }
    }

    public TaskFailure withLogs(List<String> lines) {
        return new TaskFailure(service, kind, engineMessage, exitCode, taskId, lines, reason);
    }

    /** The same failure as {@code kind}, with the plain reason it was found to have. */
    public TaskFailure because(Kind kind, String reason) {
        return new TaskFailure(service, kind, engineMessage, exitCode, taskId, logs, reason);
    }

    /** One sentence: the plain reason, the exit code when there is one, then the engine's message. */
    public String describe() {
        StringBuilder sb = new StringBuilder(service).append(": ").append(reason == null ? kind.words() : reason);
        if (exitCode != null && (kind == Kind.CONTAINER_EXITED || kind == Kind.HEALTHCHECK_FAILING)) {
            sb.append(" with code ").append(exitCode);
        }
        if (engineMessage != null && !engineMessage.isBlank()) {
            sb.append(" (engine: ").append(engineMessage).append(')');
        }
        return sb.toString();
    }

    /** The registry problem a message describes (rate limit, credentials, missing image), or null. */
    static Kind registryKind(String message) {
        String m = message.toLowerCase(Locale.ROOT);
        if (m.contains("toomanyrequests") || m.contains("rate limit")) {
            return Kind.PULL_RATE_LIMIT;
        }
        if (m.contains("unauthorized") || m.contains("authentication required") || m.contains("no basic auth credentials")
                || (m.contains("denied") && !m.contains("repository does not exist"))) {
            return Kind.REGISTRY_AUTH;
        }
        if (m.contains("no such image") || m.contains("manifest unknown") || m.contains("not found: manifest")
                || m.contains("repository does not exist") || (m.contains("manifest") && m.contains("not found"))) {
            return Kind.IMAGE_NOT_FOUND;
        }
        return null;
    }

    /**
     * A task only says "No such image" whatever the pull failed on (Swarm logs the pull error and
     * then fails to create the container); the registry's own answer to a pull names the real cause.
     */
    public TaskFailure withPullAnswer(String pullError) {
        Kind k = registryKind(pullError);
        return new TaskFailure(service, k == null ? kind : k, engineMessage + "; pulling it: " + pullError, exitCode, taskId, logs, reason);
    }

    /**
     * An update of {@code service} that Swarm gave up on ({@code state} is its {@code UpdateStatus.State}:
     * paused, or a rollback started, paused or completed), with the engine's {@code UpdateStatus.Message}.
     */
    static TaskFailure updateGaveUp(String service, String state, String message) {
        Kind kind = state.equals("paused") ? Kind.UPDATE_PAUSED : Kind.UPDATE_ROLLED_BACK;
        String words = switch (state) {
            case "rollback_started" -> "Swarm is rolling its update back";
            case "rollback_paused" -> "Swarm paused the rollback of its update";
            default -> null;
        };
        return new TaskFailure(service, kind, message, null, null, List.of(), words);
    }

    /** Classifies a failed, rejected or unschedulable task from its status. */
    public static TaskFailure classify(String service, Task task) {
        String message = task.reason();
        String m = message.toLowerCase(Locale.ROOT);
        boolean complete = task.state() == TaskState.COMPLETE;
        Integer exit = task.exitCode();
        Integer code = exit != null && (exit != 0 || task.state() == TaskState.FAILED || complete) ? exit : null;
        Kind kind = registryKind(m);
        if (kind != null) {
            // a registry problem
        } else if (m.contains("no suitable node")) {
            kind = Kind.NO_SUITABLE_NODE;
        } else if (m.contains("unhealthy")) {
            kind = Kind.HEALTHCHECK_FAILING;
        } else if (m.contains("mount") || m.contains("volume") || m.contains("bind source path")) {
            kind = Kind.MOUNT_ERROR;
        } else if (code != null || m.contains("non-zero exit") || complete) {
            kind = Kind.CONTAINER_EXITED;
        } else {
            kind = Kind.TASK_FAILED;
        }
        if (complete && code == null) {
            code = 0;
            message = message.isEmpty() ? "the service is not a job, so its container must keep running" : message;
        }
        return new TaskFailure(service, kind, message, code, task.id(), List.of());
    }
}
