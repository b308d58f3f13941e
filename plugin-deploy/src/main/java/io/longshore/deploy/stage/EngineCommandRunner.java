package io.longshore.deploy.stage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectExecResponse;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.transport.DockerHttpClient;
import io.longshore.kit.engine.Engine;
import io.longshore.kit.engine.EngineApiException;
import io.longshore.kit.output.Masker;
import io.longshore.kit.run.ShutdownHooks;
import io.longshore.kit.settings.SettingFormats;
import io.longshore.kit.stack.RunLabels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a {@link TestCommand} on the engine: inside a running task container of its service (exec,
 * stdout and stderr captured, exit code from the exec's inspect), or, with an image, as a one-off
 * {@code replicated-job} service on the stack's networks, labelled as part of the run so teardown
 * finds it, and removed once it has finished.
 */
public final class EngineCommandRunner {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration POLL = Duration.ofMillis(250);
    private static final AtomicInteger JOBS = new AtomicInteger();

    private final Engine engine;
    private final Masker masker;
    private final ShutdownHooks hooks;
    private final String stack;
    private final Map<String, String> serviceNames;
    private final List<String> networks;
    private final Map<String, String> runLabels;

    /**
     * @param serviceNames the recipe's short service names to their swarm names
     * @param networks the stack's network names one-off jobs attach to
     * @param runLabels the run's labels (owner, expiry) a one-off job carries
     */
    public EngineCommandRunner(Engine engine, Masker masker, ShutdownHooks hooks, String stack, Map<String, String> serviceNames,
                               List<String> networks, Map<String, String> runLabels) {
        this.engine = engine;
        this.masker = masker;
        this.hooks = hooks;
        this.stack = stack;
        this.serviceNames = Map.copyOf(serviceNames);
        this.networks = List.copyOf(networks);
        this.runLabels = Map.copyOf(runLabels);
    }

    public CommandResult run(TestCommand command, String kind) throws InterruptedException {
        Instant start = Instant.now();
        try {
            Ran ran = command.image() != null ? job(command) : exec(command);
            Duration took = Duration.between(start, Instant.now());
            String tail = OutputTail.of(masker.mask(ran.output()));
            if (ran.timedOut()) {
                return new CommandResult(command.name(), kind, Status.FAIL, took, null, "timed out after " + SettingFormats.formatDuration(command.timeout()), tail);
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

    private String swarmName(String service) {
        return serviceNames.getOrDefault(service, stack + "_" + service);
    }

    private Ran exec(TestCommand command) throws InterruptedException {
        String service = swarmName(command.service());
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

    /** A container of a task that swarm wants running and that runs. */
    private String runningContainer(String service) {
        String filter = "{\"service\":[\"" + service + "\"],\"desired-state\":[\"running\"]}";
        for (JsonNode t : engine.get("/tasks?filters=" + encode(filter))) {
            String id = t.path("Status").path("ContainerStatus").path("ContainerID").asText("");
            if (t.path("Status").path("State").asText().equals("running") && !id.isEmpty()) {
                return id;
            }
        }
        throw new CommandException("the service " + service + " has no running task to run the command in");
    }

    private Ran job(TestCommand command) throws InterruptedException {
        String name = stack + "_test-" + ProcessHandle.current().pid() + "-" + JOBS.incrementAndGet();
        ObjectNode spec = JSON.createObjectNode();
        spec.put("Name", name);
        ObjectNode labels = spec.putObject("Labels");
        runLabels.forEach(labels::put);
        labels.put(RunLabels.STACK_NAMESPACE, stack);
        ObjectNode task = spec.putObject("TaskTemplate");
        ObjectNode container = task.putObject("ContainerSpec");
        container.put("Image", command.image());
        ArrayNode args = container.putArray("Command");
        command.argv().forEach(args::add);
        container.putObject("Labels").put(RunLabels.STACK_NAMESPACE, stack);
        task.putObject("RestartPolicy").put("Condition", "none");
        ArrayNode nets = task.putArray("Networks");
        networks.forEach(n -> nets.addObject().put("Target", n));
        spec.putObject("Mode").putObject("ReplicatedJob").put("MaxConcurrent", 1).put("TotalCompletions", 1);
        String id = engine.post("/services/create", spec).path("ID").asText();
        try {
            Instant deadline = Instant.now().plus(command.timeout());
            String filter = encode("{\"service\":[\"" + id + "\"]}");
            while (true) {
                for (JsonNode t : engine.get("/tasks?filters=" + filter)) {
                    String state = t.path("Status").path("State").asText();
                    if (state.equals("complete") || state.equals("failed")) {
                        JsonNode code = t.path("Status").path("ContainerStatus").path("ExitCode");
                        return new Ran(code.isMissingNode() ? (state.equals("complete") ? 0 : null) : code.asInt(), logs(id), false,
                                t.path("Status").path("Err").asText("the job failed"));
                    }
                    if (state.equals("rejected")) {
                        return new Ran(null, logs(id), false, "the job was rejected: " + t.path("Status").path("Err").asText());
                    }
                }
                if (Instant.now().isAfter(deadline) || hooks.shuttingDown()) {
                    return new Ran(null, logs(id), true, null);
                }
                Thread.sleep(POLL.toMillis());
            }
        } finally {
            try {
                engine.delete("/services/" + id);
            } catch (EngineApiException e) {
                // teardown removes it with the run
            }
        }
    }

    private String logs(String serviceId) {
        DockerHttpClient.Request req = DockerHttpClient.Request.builder().method(DockerHttpClient.Request.Method.GET)
                .path("/services/" + serviceId + "/logs?stdout=1&stderr=1").build();
        try (DockerHttpClient.Response resp = engine.http().execute(req); InputStream in = resp.getBody()) {
            if (resp.getStatusCode() >= 400 || in == null) {
                return "";
            }
            return io.longshore.deploy.converge.ConvergeWatcher.demux(in.readAllBytes());
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
