package io.longshore.kit.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.transport.DockerHttpClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A transport below the tolerance layer for unit tests: a tiny engine holding secrets and one
 * service, and a script of faults (refused before it acts, reset after it acted, an answer of its
 * own) for the requests that match. Failures look as docker-java's Apache transport throws them.
 */
final class ScriptedEngine implements DockerHttpClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** STALL: the request is taken and never answered; the attempt blocks until its thread is interrupted. */
    enum How { REFUSE, LOSE_ANSWER, RESET_BEFORE, STALL }

    record Fault(Predicate<String> request, int times, How how, int status, String message) {}

    record Secret(String id, String name, Map<String, String> labels) {}

    final List<String> seen = new ArrayList<>();
    final Map<String, Secret> secrets = new LinkedHashMap<>();
    final List<Fault> faults = new ArrayList<>();
    private final Map<Fault, AtomicInteger> used = new LinkedHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    long serviceVersion = 10;
    boolean swarmControl = true;
    /** Stalled attempts that ended because their thread was interrupted. */
    final AtomicInteger interrupted = new AtomicInteger();

    /** {@code request} matches "METHOD path" (the path with its query). */
    ScriptedEngine fail(String prefix, int times, How how) {
        faults.add(new Fault(r -> r.startsWith(prefix), times, how, 0, null));
        return this;
    }

    ScriptedEngine answer(String prefix, int times, int status, String message) {
        faults.add(new Fault(r -> r.startsWith(prefix), times, null, status, message));
        return this;
    }

    /** Everything fails as a stopped engine does, until {@link #back()}. */
    ScriptedEngine down() {
        faults.add(0, new Fault(r -> true, Integer.MAX_VALUE, How.REFUSE, 0, null));
        return this;
    }

    ScriptedEngine back() {
        faults.removeIf(f -> f.times() == Integer.MAX_VALUE);
        return this;
    }

    synchronized long count(String prefix) {
        return seen.stream().filter(s -> s.startsWith(prefix)).count();
    }

    @Override
    public Response execute(Request request) {
        Fault fault = decide(request);
        if (fault != null && fault.how() == How.STALL) {
            try {
                new java.util.concurrent.CountDownLatch(1).await(); // as a socket whose answer never comes
            } catch (InterruptedException e) {
                interrupted.incrementAndGet();
                // as a unix socket's channel answers an interrupt: closed
                throw new RuntimeException(new java.nio.channels.ClosedByInterruptException());
            }
        }
        synchronized (this) {
            return respond(request, fault);
        }
    }

    private synchronized Fault decide(Request request) {
        String line = request.method() + " " + request.path();
        seen.add(line);
        for (Fault f : faults) {
            AtomicInteger n = used.computeIfAbsent(f, k -> new AtomicInteger());
            if (f.request().test(line) && n.get() < f.times()) {
                n.incrementAndGet();
                return f;
            }
        }
        return null;
    }

    private Response respond(Request request, Fault fault) {
        if (fault != null && fault.how() == How.REFUSE) {
            throw new RuntimeException(new ConnectException("Connection refused"));
        }
        if (fault != null && fault.how() == How.RESET_BEFORE) {
            throw new RuntimeException(new SocketException("Connection reset"));
        }
        if (fault != null && fault.how() == null) {
            return answer(fault.status(), JSON.createObjectNode().put("message", fault.message()).toString());
        }
        Response r = act(request);
        if (fault != null && fault.how() == How.LOSE_ANSWER) {
            throw new RuntimeException(new SocketException("Broken pipe"));
        }
        return r;
    }

    private Response act(Request request) {
        String method = request.method();
        String path = request.path();
        int q = path.indexOf('?');
        String route = q < 0 ? path : path.substring(0, q);
        String query = q < 0 ? "" : URLDecoder.decode(path.substring(q + 1), StandardCharsets.UTF_8);
        try {
            if (method.equals("GET") && route.equals("/info")) {
                return answer(200, "{\"ID\":\"engine\",\"Swarm\":{\"LocalNodeState\":\"active\",\"ControlAvailable\":" + swarmControl + "}}");
            }
            if (method.equals("GET") && (route.equals("/tasks") || route.equals("/services") || route.equals("/containers/json"))) {
                return answer(200, "[]");
            }
            if (method.equals("GET") && route.equals("/nodes")) {
                return swarmControl ? answer(200, "[]") : answer(503, "{\"message\":\"This node is not a swarm manager.\"}");
            }
            if (method.equals("GET") && route.equals("/secrets")) {
                ArrayNode out = JSON.createArrayNode();
                for (Secret s : secrets.values()) {
                    if (query.isEmpty() || query.contains(s.name())) {
                        ObjectNode n = out.addObject().put("ID", s.id());
                        n.putObject("Spec").put("Name", s.name()).set("Labels", JSON.valueToTree(s.labels()));
                    }
                }
                return answer(200, out.toString());
            }
            if (method.equals("POST") && route.equals("/secrets/create")) {
                JsonNode spec = JSON.readTree(request.body().readAllBytes());
                String name = spec.path("Name").asText();
                if (secrets.containsKey(name)) {
                    return answer(409, "{\"message\":\"rpc error: code = AlreadyExists desc = secret " + name + " already exists\"}");
                }
                Secret s = new Secret("s" + ids.incrementAndGet(), name, EngineCall.labels(spec.path("Labels")));
                secrets.put(name, s);
                return answer(201, "{\"ID\":\"" + s.id() + "\"}");
            }
            if (method.equals("DELETE") && route.startsWith("/secrets/")) {
                String id = route.substring("/secrets/".length());
                boolean gone = secrets.values().removeIf(s -> s.id().equals(id));
                return gone ? answer(204, "") : answer(404, "{\"message\":\"secret " + id + " not found\"}");
            }
            if (method.equals("GET") && route.equals("/services/web")) {
                return answer(200, "{\"ID\":\"web\",\"Version\":{\"Index\":" + serviceVersion + "}}");
            }
            if (method.equals("POST") && route.equals("/services/web/update")) {
                long v = Long.parseLong(query.replaceFirst(".*version=", ""));
                if (v != serviceVersion) {
                    return answer(500, "{\"message\":\"rpc error: code = Unknown desc = update out of sequence\"}");
                }
                serviceVersion++;
                return answer(200, "{\"Warnings\":null}");
            }
            if (method.equals("POST") && route.equals("/swarm/join")) {
                return answer(200, "");
            }
            return answer(404, "{\"message\":\"page not found\"}");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Response answer(int status, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return new Response() {
            public int getStatusCode() {
                return status;
            }

            public Map<String, List<String>> getHeaders() {
                return Map.of();
            }

            public InputStream getBody() {
                return new ByteArrayInputStream(bytes);
            }

            public void close() {}
        };
    }

    @Override
    public void close() {}

    /** A clock the sleeper moves: waits take no time. */
    static final class FakeClock extends Clock {
        Instant now = Instant.parse("2026-12-01T10:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }
}
