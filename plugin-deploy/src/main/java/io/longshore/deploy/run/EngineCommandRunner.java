package io.longshore.deploy.run;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectExecResponse;
import com.github.dockerjava.api.model.Frame;
import io.longshore.deploy.plan.TestCommand;
import io.longshore.deploy.plan.TestPlan;
import io.longshore.deploy.plan.TestPlan.Target;
import io.longshore.kit.engine.Engine;
import io.longshore.kit.engine.EngineApiException;
import io.longshore.kit.engine.Filter;
import io.longshore.kit.engine.model.Task;
import io.longshore.kit.engine.model.TaskState;
import io.longshore.kit.output.Masker;
import io.longshore.kit.run.ShutdownHooks;
import io.longshore.kit.wait.Deadline;
import io.longshore.kit.wait.Pace;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs a planned command on the engine: inside a running task container of its service (exec,
 * stdout and stderr captured, exit code from the exec's inspect), or as the one-off job its plan
 * specifies, removed once it has finished.
 */
public final class EngineCommandRunner {
    private static final Pace POLL = Pace.every(Duration.ofMillis(250));

    private final Engine engine;
    private final Masker masker;
    private final ShutdownHooks hooks;

    public EngineCommandRunner(Engine engine, Masker masker, ShutdownHooks hooks) {
        this.engine = engine;
        this.masker = masker;
        this.hooks = hooks;
    }

    public CommandResult run(TestPlan plan) throws InterruptedException {
        TestCommand command = plan.command();
        String kind = plan.kind();
        Instant start = Instant.now();
        try {
            Ran ran = switch (plan.target()) {
                case Target.Exec e -> exec(e.service(), command);
                case Target.Job j -> job(j, command);
            };
            Duration took = Duration.between(start, Instant.now());
            String tail = OutputTail.of(masker.mask(ran.output()));
            if (ran.timedOut()) {
                return new CommandResult(command.name(), kind, Status.FAIL, took, null, "timed out after "
                        + io.longshore.kit.settings.SettingFormats.formatDuration(command.timeout()), tail);
            }
            if (ran.exitCode() == null || ran.exitCode() != 0) {
                String why = ran.exitCode() == null ? ran.problem() : "exit code " + ran.exitCode();
                return new CommandResult(command.name(), kind, Status.FAIL, took, ran.exitCode(), why, tail);
            }
            return new CommandResult(command.name(), kind, Status.PASS, took, 0, null, tail);
        } catch (EngineApiException | CommandException e) {
            return new CommandResult(command.name(), kind, Status.FAIL, Duration.between(start, Instant.now()), null,
                    masker.mask(e.getMessage()), null);
        }
    }

    /** What a command did: exit code (null when it did not finish), output, and why it did not run. */
    private record Ran(Integer exitCode, String output, boolean timedOut, String problem) {}

    private static final class CommandException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CommandException(String message) {
            super(message);
        }
    }

    private Ran exec(String service, TestCommand command) throws InterruptedException {
        String container = runningContainer(service);
        String execId = engine.docker().execCreateCmd(container).withCmd(command.argv().toArray(String[]::new))
                .withAttachStdout(true).withAttachStderr(true).exec().getId();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ResultCallback.Adapter<Frame> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                synchronized (out) {
                    out.writeBytes(frame.getPayload());
                }
            }
        };
        engine.docker().execStartCmd(execId).exec(callback);
        boolean done = callback.awaitCompletion(command.timeout().toMillis(), TimeUnit.MILLISECONDS);
        String output;
        synchronized (out) {
            output = out.toString(StandardCharsets.UTF_8);
        }
        if (!done) {
            try {
                callback.close();
            } catch (IOException e) {
                // the stream is abandoned either way
            }
            return new Ran(null, output, true, null);
        }
        InspectExecResponse inspect = engine.docker().inspectExecCmd(execId).exec();
        Long code = inspect.getExitCodeLong();
        return new Ran(code == null ? null : code.intValue(), output, false, "the command did not report an exit code");
    }

    /**
     * A container of a task that swarm wants running and that runs, on the connected engine: exec
     * reaches containers of this node only. A service whose running tasks are all on other nodes
     * is named with the node it could not reach.
     */
    private String runningContainer(String service) {
        String here = engine.get("/info").path("Swarm").path("NodeID").asText("");
        String elsewhere = null;
        for (Task t : engine.read().tasks(Filter.service(service).and("desired-state", "running"))) {
            if (t.state() == TaskState.RUNNING && t.hasContainer()) {
                if (here.isEmpty() || here.equals(t.nodeId())) {
                    return t.containerId();
                }
                elsewhere = elsewhere == null ? t.nodeId() : elsewhere;
            }
        }
        if (elsewhere != null) {
            String node = elsewhere;
            try {
                node = io.longshore.kit.engine.model.Node.from(engine.get("/nodes/" + elsewhere)).displayName();
            } catch (EngineApiException e) {
                // the id names it then
            }
            throw new CommandException("the service " + service + " runs only on node " + node
                    + ", which exec cannot reach: it runs commands in containers of the node this plugin is connected to");
        }
        throw new CommandException("the service " + service + " has no running task to run the command in");
    }

    /** A task of {@code service} that swarm wants running and that runs in a container. */
    public static Optional<Task> runningTask(Engine engine, String service) {
        for (Task t : engine.read().tasks(Filter.service(service).and("desired-state", "running"))) {
            if (t.state() == TaskState.RUNNING && t.hasContainer()) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    private Ran job(Target.Job job, TestCommand command) throws InterruptedException {
        String id = engine.post("/services/create", job.spec()).path("ID").asText();
        try {
            Deadline deadline = Deadline.in(command.timeout()).cancelledWhen(hooks::shuttingDown);
            Optional<Ran> ended = deadline.poll(() -> {
                for (Task t : engine.read().tasks(Filter.service(id))) {
                    if (t.state() == TaskState.COMPLETE || t.state() == TaskState.FAILED) {
                        Integer code = t.exitCode() != null ? t.exitCode() : t.state() == TaskState.COMPLETE ? Integer.valueOf(0) : null;
                        return Optional.of(new Ran(code, logs(id), false, t.error().isEmpty() ? "the job failed" : t.error()));
                    }
                    if (t.state() == TaskState.REJECTED) {
                        return Optional.of(new Ran(null, logs(id), false, "the job was rejected: " + t.error()));
                    }
                }
                return Optional.empty();
            }, POLL);
            return ended.orElseGet(() -> new Ran(null, logs(id), true, null));
        } finally {
            try {
                engine.delete("/services/" + id);
            } catch (EngineApiException e) {
                // teardown removes it with the run
            }
        }
    }

    private String logs(String serviceId) {
        return String.join("\n", engine.read().serviceLogs(serviceId, 0));
    }
}
