package io.longshore.kit.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.transport.DockerHttpClient;
import io.longshore.kit.run.UnreachableException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A connection to one Docker engine: docker-java's client for the endpoints it models, and the
 * same transport for those it lacks ({@code /system/df}, ...) so nothing shells out to a CLI.
 */
public record Engine(DockerClient docker, DockerHttpClient http, String host) implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Fails with {@link UnreachableException} (exit 3) when the engine does not answer. */
    public Engine ping() {
        try {
            docker.pingCmd().exec();
            return this;
        } catch (RuntimeException e) {
            throw new UnreachableException("the Docker engine at " + host + " cannot be reached: " + rootMessage(e), e);
        }
    }

    /** Typed reads of the engine's state (services, tasks, containers, ...): the model rules work on. */
    public EngineReader read() {
        return new EngineReader(this);
    }

    /** GET an Engine API path (e.g. {@code /system/df}) through the same transport; JSON answer. */
    public JsonNode get(String path) {
        return call(DockerHttpClient.Request.Method.GET, path, null);
    }

    public JsonNode post(String path, Object body) {
        return call(DockerHttpClient.Request.Method.POST, path, body);
    }

    public JsonNode delete(String path) {
        return call(DockerHttpClient.Request.Method.DELETE, path, null);
    }

    private JsonNode call(DockerHttpClient.Request.Method method, String path, Object body) {
        DockerHttpClient.Request.Builder req = DockerHttpClient.Request.builder().method(method).path(path);
        if (body != null) {
            try {
                req.putHeader("Content-Type", "application/json");
                req.body(new ByteArrayInputStream(JSON.writeValueAsBytes(body)));
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot encode request body for " + path, e);
            }
        }
        try (DockerHttpClient.Response resp = http.execute(req.build()); InputStream in = resp.getBody()) {
            byte[] bytes = in == null ? new byte[0] : in.readAllBytes();
            if (resp.getStatusCode() >= 400) {
                throw new EngineApiException(resp.getStatusCode(), method + " " + path + ": " + engineMessage(bytes));
            }
            return bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
        } catch (IOException e) {
            throw new UnreachableException("the Docker engine at " + host + " did not answer " + path + ": " + rootMessage(e), e);
        }
    }

    private static String engineMessage(byte[] body) {
        try {
            JsonNode n = JSON.readTree(body);
            if (n != null && n.hasNonNull("message")) {
                return n.get("message").asText();
            }
        } catch (IOException e) {
            // not JSON; fall through to the raw text
        }
        return new String(body, StandardCharsets.UTF_8).trim();
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** Connects as the Docker CLI would from these variables. */
    public static Engine connect(Map<String, String> env) {
        return EngineClients.connect(EngineClients.EngineConfig.from(env));
    }

    @Override
    public void close() {
        try {
            docker.close();
        } catch (IOException e) {
            // closing a connection pool: nothing a user can act on
        }
    }
}
