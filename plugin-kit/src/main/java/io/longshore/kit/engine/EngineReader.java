package io.longshore.kit.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.transport.DockerHttpClient;
import io.longshore.kit.engine.model.Container;
import io.longshore.kit.engine.model.EngineInfo;
import io.longshore.kit.engine.model.Network;
import io.longshore.kit.engine.model.Node;
import io.longshore.kit.engine.model.Service;
import io.longshore.kit.engine.model.SwarmObject;
import io.longshore.kit.engine.model.Task;
import io.longshore.kit.engine.model.Volume;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one place engine state is read: each list or inspect call of the Engine API, turned into the
 * model's records ({@code io.longshore.kit.engine.model}). Rules (convergence, teardown, prune's
 * gates) read records; none walks raw JSON paths. Only reads; never changes anything.
 */
public final class EngineReader {
    private final Engine engine;

    public EngineReader(Engine engine) {
        this.engine = engine;
    }

    public Engine engine() {
        return engine;
    }

    public EngineInfo info() {
        return EngineInfo.from(engine.get("/info"));
    }

    /** Services with their task counts ({@code status=true}). */
    public List<Service> services(Filter filter) {
        return list(filter.on("/services?status=true"), Service::from);
    }

    public Optional<Service> service(String idOrName) {
        return inspect("/services/" + encode(idOrName), Service::from);
    }

    public List<Task> tasks(Filter filter) {
        return list(filter.on("/tasks"), Task::from);
    }

    /** Every container on the connected engine, stopped ones included. */
    public List<Container> containers(Filter filter) {
        return list(filter.on("/containers/json?all=1"), Container::from);
    }

    public List<Network> networks(Filter filter) {
        return list(filter.on("/networks"), Network::from);
    }

    public Optional<Network> network(String idOrName) {
        return inspect("/networks/" + encode(idOrName), Network::from);
    }

    public List<SwarmObject> secrets(Filter filter) {
        return list(filter.on("/secrets"), SwarmObject::from);
    }

    public List<SwarmObject> configs(Filter filter) {
        return list(filter.on("/configs"), SwarmObject::from);
    }

    /** One config with its content. */
    public Optional<SwarmObject> config(String idOrName) {
        return inspect("/configs/" + encode(idOrName), SwarmObject::from);
    }

    public List<Volume> volumes(Filter filter) {
        List<Volume> out = new ArrayList<>();
        engine.get(filter.on("/volumes")).path("Volumes").forEach(v -> out.add(Volume.from(v)));
        return out;
    }

    public Optional<Volume> volume(String name) {
        return inspect("/volumes/" + encode(name), Volume::from);
    }

    public List<Node> nodes(Filter filter) {
        return list(filter.on("/nodes"), Node::from);
    }

    /** The last {@code tail} lines a task's container wrote (stdout and stderr); none when the engine has none. */
    public List<String> taskLogs(String taskId, int tail) {
        return logs("/tasks/" + encode(taskId) + "/logs", tail);
    }

    /** The last {@code tail} lines of every task of a service (a one-off job's output); {@code tail <= 0} for all. */
    public List<String> serviceLogs(String serviceId, int tail) {
        return logs("/services/" + encode(serviceId) + "/logs", tail);
    }

    /** The last {@code tail} lines a container wrote (stdout and stderr); {@code tail <= 0} for all. */
    public List<String> containerLogs(String containerId, int tail) {
        return logs("/containers/" + encode(containerId) + "/logs", tail);
    }

    private List<String> logs(String path, int tail) {
        String query = "?stdout=1&stderr=1" + (tail > 0 ? "&tail=" + tail : "");
        DockerHttpClient.Request req = DockerHttpClient.Request.builder().method(DockerHttpClient.Request.Method.GET)
                .path(path + query).build();
        try (DockerHttpClient.Response resp = engine.http().execute(req); InputStream in = resp.getBody()) {
            if (resp.getStatusCode() >= 400 || in == null) {
                return List.of();
            }
            List<String> lines = new ArrayList<>(Arrays.asList(demux(in.readAllBytes()).split("\r?\n")));
            lines.removeIf(String::isBlank);
            return tail > 0 ? List.copyOf(lines.subList(Math.max(0, lines.size() - tail), lines.size())) : List.copyOf(lines);
        } catch (IOException | RuntimeException e) {
            // logs are a courtesy next to the real reason; an engine that cannot give them is no failure
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

    private <T> List<T> list(String path, Function<JsonNode, T> as) {
        List<T> out = new ArrayList<>();
        engine.get(path).forEach(n -> out.add(as.apply(n)));
        return out;
    }

    private <T> Optional<T> inspect(String path, Function<JsonNode, T> as) {
        try {
            return Optional.of(as.apply(engine.get(path)));
        } catch (EngineApiException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
