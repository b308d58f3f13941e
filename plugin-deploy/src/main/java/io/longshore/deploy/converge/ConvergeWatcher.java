package io.longshore.deploy.converge;

import com.fasterxml.jackson.databind.JsonNode;
import io.longshore.kit.engine.Engine;
import io.longshore.kit.engine.EngineApiException;
import io.longshore.kit.output.Events;
import io.longshore.kit.run.ShutdownHooks;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import com.github.dockerjava.transport.DockerHttpClient;

/**
 * Polls a stack's services and tasks (every {@link #POLL}) until {@link Convergence} says it has
 * converged, a task fails (then it stops at once, with the container's last log lines when it
 * exited), the deadline passes, or the process is asked to end. While a task waits for a host-mode
 * port, each poll also lists the containers publishing it.
 */
public final class ConvergeWatcher {
    public static final Duration POLL = Duration.ofMillis(250);
    /** Running tasks must stay up this long to count; short, so a converged stack is reported within a second. */
    public static final Duration MONITOR = Duration.ofMillis(500);
    private static final int LOG_LINES = 15;

    private final Engine engine;
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

    public Result watch(String stack, Duration timeout) throws InterruptedException {
        Instant start = clock.instant();
        Instant deadline = start.plus(timeout);
        String lastLine = "";
        List<ServiceProgress> last = List.of();
        String serviceFilter = URLEncoder.encode("{\"label\":[\"com.docker.stack.namespace=" + stack + "\"]}", StandardCharsets.UTF_8);
        while (true) {
            if (hooks.shuttingDown()) {
                return new Result.Interrupted(last);
            }
            List<JsonNode> services = list(engine.get("/services?status=true&filters=" + serviceFilter));
            List<JsonNode> tasks = new ArrayList<>();
            if (!services.isEmpty()) {
                StringBuilder f = new StringBuilder("{\"service\":[");
                for (int i = 0; i < services.size(); i++) {
                    f.append(i == 0 ? "" : ",").append('"').append(services.get(i).path("ID").asText()).append('"');
                }
                f.append("]}");
                tasks = list(engine.get("/tasks?filters=" + URLEncoder.encode(f.toString(), StandardCharsets.UTF_8)));
            }
            Instant now = clock.instant();
            Convergence.Verdict v = Convergence.evaluate(services, tasks, portHolders(services, tasks), now, MONITOR);
            last = v.services();
            String line = String.join(", ", v.services().stream().map(ServiceProgress::toString).toList());
            if (!line.equals(lastLine)) {
                events.progress(line);
                lastLine = line;
            }
            switch (v) {
                case Convergence.Verdict.Converged c -> {
                    return new Result.Converged(c.services(), c.lastRunning(), now);
                }
                case Convergence.Verdict.Failing f -> {
                    TaskFailure failure = f.failure();
                    if (failure.kind() == TaskFailure.Kind.CONTAINER_EXITED || failure.kind() == TaskFailure.Kind.HEALTHCHECK_FAILING) {
                        failure = failure.withLogs(taskLogs(failure.taskId()));
                    } else if (failure.kind() == TaskFailure.Kind.IMAGE_NOT_FOUND) {
                        String name = failure.service();
                        String image = services.stream().filter(x -> x.path("Spec").path("Name").asText().equals(name)).findFirst()
                                .map(x -> x.path("Spec").path("TaskTemplate").path("ContainerSpec").path("Image").asText()).orElse("");
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
            Thread.sleep(POLL.toMillis());
        }
    }

    /**
     * The containers that publish a host-mode port a task waits for, from any stack or none: read
     * only while the scheduler says such a port is in use, so a poll without that costs no call.
     */
    private List<JsonNode> portHolders(List<JsonNode> services, List<JsonNode> tasks) {
        List<String> ports = Convergence.contestedPorts(services, tasks);
        if (ports.isEmpty()) {
            return List.of();
        }
        String filter = "{\"publish\":[" + String.join(",", ports.stream().map(p -> '"' + p + '"').toList()) + "]}";
        return list(engine.get("/containers/json?all=1&filters=" + URLEncoder.encode(filter, StandardCharsets.UTF_8)));
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

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    /** The last lines a task's container wrote (stdout and stderr), or none when the engine has none. */
    List<String> taskLogs(String taskId) {
        if (taskId == null || taskId.isEmpty()) {
            return List.of();
        }
        DockerHttpClient.Request req = DockerHttpClient.Request.builder().method(DockerHttpClient.Request.Method.GET)
                .path("/tasks/" + taskId + "/logs?stdout=1&stderr=1&tail=" + LOG_LINES).build();
        try (DockerHttpClient.Response resp = engine.http().execute(req); InputStream in = resp.getBody()) {
            if (resp.getStatusCode() >= 400 || in == null) {
                return List.of();
            }
            String text = demux(in.readAllBytes());
            List<String> lines = new ArrayList<>(Arrays.asList(text.split("\r?\n")));
            lines.removeIf(String::isBlank);
            return lines.subList(Math.max(0, lines.size() - LOG_LINES), lines.size());
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /** The engine multiplexes stdout and stderr in 8-byte-header frames when the container has no TTY. */
    public static String demux(byte[] b) {
        if (b.length < 8 || b[0] > 2 || b[1] != 0 || b[2] != 0 || b[3] != 0) {
            return new String(b, StandardCharsets.UTF_8);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i + 8 <= b.length) {
            int len = ((b[i + 4] & 0xff) << 24) | ((b[i + 5] & 0xff) << 16) | ((b[i + 6] & 0xff) << 8) | (b[i + 7] & 0xff);
            int start = i + 8;
            int end = Math.min(b.length, start + len);
            out.write(b, start, end - start);
            i = end;
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
