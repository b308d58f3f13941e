package io.longshore.kit.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.transport.DockerHttpClient;
import io.longshore.kit.engine.EngineCall.Kind;
import io.longshore.kit.run.UnreachableException;
import io.longshore.kit.wait.Deadline;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLException;

/**
 * The engine connection's one tolerance layer: every request passes here, the kit's raw API calls
 * ({@link Engine#get}, ...) and docker-java's alike. An engine that restarts, drops a connection,
 * answers 502/503/504, or whose swarm has no manager yet after a restart, is waited for with
 * backoff, at most {@link Policy#maxOutage} per call and never past the deadline of the
 * {@linkplain #within view} the call was made through.
 *
 * <p>Reads and idempotent writes are repeated as they are. A create whose answer was lost is
 * settled by looking for the object by name before it is repeated: there with the create's labels,
 * it was ours (the answer is rebuilt); there with other labels, it is someone else's (409, as a
 * second create would be answered). A service update is repeated only while the service still has
 * the version it was sent for. A remove is repeated, and gone (404) on a repeat counts as removed.
 * Anything else is repeated only when it cannot have reached the engine; streams never are.
 *
 * <p>No attempt waits for its answer without bound. One that the engine does not answer (a stall:
 * accepted and never answered, which no socket timeout catches on a unix socket) is given up at the
 * deadline of the view it was made through, or after {@link Policy#maxAnswer} without one, and is
 * interrupted, which closes its connection. A call made once the deadline has passed still gets one
 * short look ({@link Policy#lastLook}): a verify at the deadline still asks. Streams (logs that
 * follow, exec, events) are the caller's to bound.
 *
 * <p>Before the engine has answered once, nothing is waited for: an engine that is not there at
 * the start is a setting to fix (exit 3), not an outage. Once the process is ending (SIGTERM),
 * nothing new is created or started: it would outlive the teardown that is running.
 */
final class TolerantTransport implements DockerHttpClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A 500 is the engine's own answer more often than not; these say its swarm is not ready yet. */
    private static final List<String> SWARM_NOT_READY = List.of("not a swarm manager", "does not have a leader",
            "code = unavailable", "code = deadlineexceeded", "raft: ", "swarm is not ready");

    /**
     * How the layer waits; tests pass a fake clock and sleeper. {@code lastLook} is how long an answer
     * is waited for when the view's deadline has (nearly) passed, and how long the "is its swarm back?"
     * probe waits; {@code maxAnswer} how long an attempt made without a deadline waits for its answer.
     */
    record Policy(Duration maxOutage, Duration firstDelay, Duration maxDelay, Duration lastLook, Duration maxAnswer, Clock clock,
            Sleeper sleeper) {
        /**
         * A restart is back in seconds and a package upgrade's in well under a minute; polling a local socket
         * twice a second costs nothing. The slowest answers a healthy engine gives (a pull, {@code /system/df}
         * or an image prune on a big host) take a minute or two: five is an engine that hangs.
         */
        static Policy standard() {
            return new Policy(Duration.ofSeconds(60), Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(2),
                    Duration.ofMinutes(5), Clock.systemUTC(), d -> Thread.sleep(Math.max(1, d.toMillis())));
        }
    }

    interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    /** What every view of one connection shares. */
    private static final class Shared {
        final Outages outages;
        volatile BooleanSupplier ending = () -> false;
        /** Creates on the wire now: a teardown waits for their answers before it lists the run. */
        int creating;
        /** Whether the engine was an active swarm manager when last seen: then "back" waits for its manager. */
        volatile Boolean manager;
        volatile Instant lastProbe = Instant.EPOCH;

        Shared(Outages outages) {
            this.outages = outages;
        }
    }

    private final DockerHttpClient next;
    private final String host;
    private final Policy policy;
    private final Shared shared;
    /** The deadline of this view, or null. */
    private final Instant bound;

    TolerantTransport(DockerHttpClient next, String host, Policy policy, Outages outages) {
        this(next, host, policy, new Shared(outages), null);
    }

    private TolerantTransport(DockerHttpClient next, String host, Policy policy, Shared shared, Instant bound) {
        this.next = next;
        this.host = host;
        this.policy = policy;
        this.shared = shared;
        this.bound = bound;
    }

    /** The same connection, waiting for the engine no longer than {@code deadline}. */
    TolerantTransport within(Deadline deadline) {
        Instant at = bound == null || deadline.at().isBefore(bound) ? deadline.at() : bound;
        return new TolerantTransport(next, host, policy, shared, at);
    }

    Outages outages() {
        return shared.outages;
    }

    void endingWhen(BooleanSupplier ending) {
        shared.ending = ending;
    }

    /** Waits (bounded) until no create is on the wire; true when none is. */
    boolean awaitCreates(Deadline deadline) throws InterruptedException {
        synchronized (shared) {
            while (shared.creating > 0) {
                long left = Duration.between(policy.clock().instant(), deadline.at()).toMillis();
                if (left <= 0) {
                    return false;
                }
                shared.wait(left);
            }
            return true;
        }
    }

    @Override
    public Response execute(Request request) {
        byte[] body = bodyOf(request);
        EngineCall call = EngineCall.of(request.method(), request.path(), body);
        if (call.createsOrStarts() && shared.ending.getAsBoolean()) {
            throw new EngineApiException(0, call.describe() + " was not sent: the process is ending, and nothing new is created "
                    + "while its run is torn down");
        }
        if (call.kind() instanceof Kind.Stream || request.hijackedInput() != null) {
            return once(request, call);
        }
        boolean create = call.kind() instanceof Kind.Create;
        if (create) {
            synchronized (shared) {
                shared.creating++;
            }
        }
        try {
            return tolerant(request, body, call);
        } finally {
            if (create) {
                synchronized (shared) {
                    shared.creating--;
                    shared.notifyAll();
                }
            }
        }
    }

    /** A stream: one attempt; its failure still tells the outage record that the engine is away. */
    private Response once(Request request, EngineCall call) {
        try {
            Response r = next.execute(request);
            answered();
            return r;
        } catch (RuntimeException e) {
            Failure f = Failure.of(e);
            if (f != null && shared.outages.everAnswered()) {
                shared.outages.failed(call.describe(), f.reason(), policy.maxOutage());
            }
            throw e;
        }
    }

    private Response tolerant(Request request, byte[] body, EngineCall call) {
        Instant firstFailure = null;
        Failure last = null;
        Buffered lastAnswer = null;
        for (int attempt = 0; ; attempt++) {
            Outcome o;
            if (attempt > 0 && (call.kind() instanceof Kind.Create || call.kind() instanceof Kind.Update)) {
                o = look(call);
                if (o instanceof Outcome.Absent) {
                    o = send(rebuilt(request, body), call);
                }
            } else {
                o = send(rebuilt(request, body), call);
            }
            switch (o) {
                case Outcome.Answer a -> {
                    answered();
                    if (attempt > 0 && a.response().status() == 404 && call.kind() instanceof Kind.Remove) {
                        return Buffered.json(204, ""); // a repeat found it gone: an earlier attempt removed it
                    }
                    return a.response();
                }
                case Outcome.Settled s -> {
                    answered();
                    return s.response();
                }
                case Outcome.Stalled s -> throw new UnreachableException("the Docker engine at " + host + " did not answer "
                        + call.describe() + (bound == null ? "" : " before the deadline") + " (waited " + Outages.seconds(s.waited())
                        + " for its answer)", null);
                case Outcome.Busy b -> {
                    last = b.failure();
                    lastAnswer = b.response();
                }
                case Outcome.Lost l -> {
                    last = l.failure();
                    lastAnswer = null;
                    if (!shared.outages.everAnswered()) {
                        throw new UnreachableException("the Docker engine at " + host + " cannot be reached: " + last.reason(), l.cause());
                    }
                    if (l.failure().maybeSent() && call.kind() instanceof Kind.Once) {
                        shared.outages.failed(call.describe(), last.reason(), policy.maxOutage());
                        throw new UnreachableException("the Docker engine at " + host + " lost the answer to " + call.describe()
                                + " (" + last.reason() + "), and it is not repeated since it might then be done twice", l.cause());
                    }
                }
                case Outcome.Absent a -> throw new IllegalStateException("a look is followed by a send");
            }
            Instant now = policy.clock().instant();
            shared.outages.failed(call.describe(), last.reason(), policy.maxOutage());
            if (firstFailure == null) {
                firstFailure = now;
            }
            Instant giveUp = firstFailure.plus(policy.maxOutage());
            boolean byDeadline = bound != null && bound.isBefore(giveUp);
            if (byDeadline) {
                giveUp = bound;
            }
            Duration wait = delay(attempt);
            if (!now.plus(wait).isBefore(giveUp)) {
                if (lastAnswer != null) {
                    return lastAnswer; // the engine's own answer (503 not a manager, ...): the caller reads it
                }
                throw new UnreachableException("the Docker engine at " + host + " went away and did not come back "
                        + (byDeadline ? "before the deadline" : "within " + Outages.seconds(policy.maxOutage()))
                        + ": " + call.describe() + " failed (" + last.reason() + ")");
            }
            try {
                policy.sleeper().sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UnreachableException("interrupted while waiting for the Docker engine at " + host + " to come back ("
                        + call.describe() + ")", e);
            }
        }
    }

    /** What one attempt (or one look) came to. */
    private sealed interface Outcome {
        /** The engine answered; the answer stands. */
        record Answer(Buffered response) implements Outcome {}

        /** A look found what an earlier attempt did: this is the answer. */
        record Settled(Buffered response) implements Outcome {}

        /** A look found nothing: the request is sent again. */
        record Absent() implements Outcome {}

        /** The engine answered, but as one that is not ready (503, swarm without manager): try again. */
        record Busy(Buffered response, Failure failure) implements Outcome {}

        /** No answer: refused, reset, broken pipe, cut short. */
        record Lost(Failure failure, Throwable cause) implements Outcome {}

        /** Sent, perhaps acted on, and not answered before the view's deadline (or {@link Policy#maxAnswer}): given up. */
        record Stalled(Duration waited) implements Outcome {}
    }

    /** Why an attempt failed, and whether the engine may have acted on it. */
    record Failure(String reason, boolean maybeSent) {
        /** Null when {@code e} is not a failure of the connection (a bug, TLS that will not work, a name that does not resolve). */
        static Failure of(Throwable e) {
            IOException io = null;
            for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (t instanceof SSLException || t instanceof UnknownHostException) {
                    return null;
                }
                if (t instanceof IOException i && io == null) {
                    io = i;
                }
            }
            if (io == null) {
                return null;
            }
            String m = rootMessage(io);
            String lower = m.toLowerCase(Locale.ROOT);
            if (lower.endsWith("failed to respond")) {
                m = "the connection closed without an answer"; // Apache names a made-up host:port for a unix socket
            }
            boolean notSent = io instanceof ConnectException || lower.contains("no such file or directory")
                    || lower.contains("connection refused") || (io instanceof InterruptedIOException && lower.contains("connect"));
            return new Failure(m, !notSent);
        }
    }

    /** One attempt, given up (and interrupted) when its answer has not come by the view's deadline, or after maxAnswer. */
    private Outcome send(Request request, EngineCall call) {
        Duration limit = policy.maxAnswer();
        if (bound != null) {
            Duration left = Duration.between(policy.clock().instant(), bound);
            limit = left.compareTo(policy.lastLook()) < 0 ? policy.lastLook() : left;
        }
        return timed(() -> attempt(request, call), limit, call);
    }

    /**
     * Runs {@code attempt} on a thread of its own and waits for it at most {@code limit}. Past it the
     * attempt is interrupted: a unix socket's channel closes on that, so the connection is not reused
     * (over TCP the thread may stay blocked until the engine answers or the process ends).
     */
    private Outcome timed(Callable<Outcome> attempt, Duration limit, EngineCall call) {
        FutureTask<Outcome> task = new FutureTask<>(attempt);
        Thread.ofVirtual().name("engine-call " + call.describe()).start(task);
        try {
            return task.get(Math.max(1, limit.toMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            task.cancel(true);
            return new Outcome.Stalled(limit);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("calling the engine: " + call.describe(), e.getCause());
        } catch (InterruptedException e) {
            task.cancel(true);
            Thread.currentThread().interrupt();
            throw new UnreachableException("interrupted while waiting for the Docker engine at " + host + " to answer "
                    + call.describe(), e);
        }
    }

    private Outcome attempt(Request request, EngineCall call) {
        Response r;
        try {
            r = next.execute(request);
        } catch (RuntimeException e) {
            Failure f = Failure.of(e);
            if (f == null) {
                throw e;
            }
            return new Outcome.Lost(f, e);
        }
        Buffered b;
        try (r; InputStream in = r.getBody()) {
            b = new Buffered(r.getStatusCode(), r.getHeaders(), in == null ? new byte[0] : in.readAllBytes());
        } catch (IOException | RuntimeException e) {
            Failure f = Failure.of(e);
            if (f == null) {
                throw e instanceof RuntimeException re ? re : new IllegalStateException("reading the answer to " + call.describe(), e);
            }
            return new Outcome.Lost(new Failure("the answer was cut short: " + f.reason(), true), e);
        }
        String busy = busy(b);
        if (busy != null) {
            return new Outcome.Busy(b, new Failure(busy, true));
        }
        if ("GET".equals(call.method()) && call.route().equals("/info") && b.status() == 200) {
            remember(b.body());
        }
        return new Outcome.Answer(b);
    }

    /** Why an answer says "not ready, try again", or null when it is an answer to act on. */
    static String busy(Buffered b) {
        int s = b.status();
        if (s < 500) {
            return null;
        }
        String message = message(b.body());
        String lower = message.toLowerCase(Locale.ROOT);
        if (s == 502 || s == 503 || s == 504 || SWARM_NOT_READY.stream().anyMatch(lower::contains)) {
            return message.isBlank() ? "HTTP " + s : message;
        }
        return null;
    }

    /**
     * Whether an earlier attempt already did what {@code call} asks: for a create, the object of that
     * name (ours when it carries the create's labels); for an update, a service past that version.
     */
    private Outcome look(EngineCall call) {
        return switch (call.kind()) {
            case Kind.Create c -> lookFor(c);
            case Kind.Update u -> {
                Outcome o = send(get("/services/" + encode(u.id())), call);
                if (o instanceof Outcome.Answer a) {
                    if (a.response().status() == 404) {
                        yield o; // the service is gone: the update's answer is the engine's 404
                    }
                    long now = json(a.response().body()).path("Version").path("Index").asLong(-1);
                    yield now > u.version() ? new Outcome.Settled(Buffered.json(200, "{\"Warnings\":null}")) : new Outcome.Absent();
                }
                yield o;
            }
            default -> new Outcome.Absent();
        };
    }

    private Outcome lookFor(Kind.Create c) {
        EngineCall listing = EngineCall.of("GET", "/", null);
        if (c.kind().equals("container")) {
            Outcome o = send(get("/containers/" + encode(c.name()) + "/json"), listing);
            if (o instanceof Outcome.Answer a) {
                if (a.response().status() == 404) {
                    return new Outcome.Absent();
                }
                JsonNode n = json(a.response().body());
                return settle(c, n.path("Id").asText(), EngineCall.labels(n.path("Config").path("Labels")), "Id", true);
            }
            return o;
        }
        String filter = encode("{\"name\":[\"" + c.name().replace("\"", "") + "\"]}");
        Outcome o = send(get("/" + c.kind() + "s?filters=" + filter), listing);
        if (!(o instanceof Outcome.Answer a) || a.response().status() >= 400) {
            return o instanceof Outcome.Answer ? new Outcome.Absent() : o;
        }
        boolean network = c.kind().equals("network");
        for (JsonNode n : json(a.response().body())) {
            String name = network ? n.path("Name").asText() : n.path("Spec").path("Name").asText();
            if (!name.equals(c.name())) {
                continue; // the engine's name filter matches substrings
            }
            Map<String, String> labels = EngineCall.labels(network ? n.path("Labels") : n.path("Spec").path("Labels"));
            return settle(c, network ? n.path("Id").asText() : n.path("ID").asText(), labels, network ? "Id" : "ID", false);
        }
        return new Outcome.Absent();
    }

    /** Ours when it carries every label the create asked for (a create without labels cannot tell: not ours). */
    private static Outcome settle(Kind.Create c, String id, Map<String, String> labels, String idField, boolean warnings) {
        if (c.labels().isEmpty() || !labels.entrySet().containsAll(c.labels().entrySet())) {
            return conflict(c);
        }
        ObjectNode body = JSON.createObjectNode().put(idField, id);
        if (warnings) {
            body.putArray("Warnings");
        }
        return new Outcome.Settled(Buffered.json(201, body.toString()));
    }

    private static Outcome conflict(Kind.Create c) {
        String m = "a " + c.kind() + " named " + c.name() + " already exists and does not carry this create's labels "
                + "(the engine lost the answer to the create, and the object is not ours)";
        return new Outcome.Settled(Buffered.json(409, JSON.createObjectNode().put("message", m).toString()));
    }

    /** After a success while away: the outage ends once the engine's swarm (if it had one) has a manager again. */
    private void answered() {
        Outages o = shared.outages;
        if (!o.away()) {
            o.answered();
            return;
        }
        Instant now = policy.clock().instant();
        if (Boolean.FALSE.equals(shared.manager) || swarmReady(now)) {
            o.answered();
        }
    }

    private boolean swarmReady(Instant now) {
        synchronized (shared) {
            if (Duration.between(shared.lastProbe, now).compareTo(Duration.ofMillis(200)) < 0) {
                return false;
            }
            shared.lastProbe = now;
        }
        // bounded: an engine that accepts the probe and never answers must not hold the call that asked
        EngineCall probe = EngineCall.of("GET", "/info", null);
        Outcome o = timed(() -> probe(), policy.lastLook(), probe);
        return o instanceof Outcome.Answer a && a.response().status() == 200;
    }

    /** Answers 200 when the engine's swarm (if it had one) has a manager with a leader again, else 503. */
    private Outcome probe() {
        try (Response r = next.execute(get("/info")); InputStream in = r.getBody()) {
            byte[] b = in == null ? new byte[0] : in.readAllBytes();
            if (r.getStatusCode() != 200) {
                return new Outcome.Answer(Buffered.json(503, "{}"));
            }
            JsonNode swarm = json(b).path("Swarm");
            boolean active = "active".equals(swarm.path("LocalNodeState").asText());
            boolean control = swarm.path("ControlAvailable").asBoolean(false);
            if (!active || !control) {
                boolean ready = !Boolean.TRUE.equals(shared.manager) && !"pending".equals(swarm.path("LocalNodeState").asText());
                return new Outcome.Answer(Buffered.json(ready ? 200 : 503, "{}"));
            }
            try (Response nodes = next.execute(get("/nodes"))) {
                // a manager with a leader: swarm calls work again
                return new Outcome.Answer(Buffered.json(nodes.getStatusCode() == 200 ? 200 : 503, "{}"));
            }
        } catch (IOException | RuntimeException e) {
            return new Outcome.Answer(Buffered.json(503, "{}"));
        }
    }

    private void remember(byte[] info) {
        JsonNode swarm = json(info).path("Swarm");
        shared.manager = "active".equals(swarm.path("LocalNodeState").asText()) && swarm.path("ControlAvailable").asBoolean(false);
    }

    private Duration delay(int attempt) {
        long ceiling = Math.min(policy.maxDelay().toMillis(), policy.firstDelay().toMillis() << Math.min(attempt, 20));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(Math.max(1, ceiling / 2), Math.max(2, ceiling + 1)));
    }

    private static Request get(String path) {
        return Request.builder().method(Request.Method.GET).path(path).build();
    }

    /** The request again, with its body (read once) ready to be sent once more. */
    private static Request rebuilt(Request request, byte[] body) {
        Request.Builder b = Request.builder().method(request.method()).path(request.path()).headers(request.headers());
        if (body != null) {
            b.body(new ByteArrayInputStream(body));
        }
        if (request.hijackedInput() != null) {
            b.hijackedInput(request.hijackedInput());
        }
        return b.build();
    }

    private static byte[] bodyOf(Request request) {
        InputStream in = request.body();
        if (in == null) {
            return null;
        }
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the request body for " + request.path(), e);
        }
    }

    private static JsonNode json(byte[] body) {
        try {
            JsonNode n = body.length == 0 ? null : JSON.readTree(body);
            return n == null ? JSON.createObjectNode() : n;
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static String message(byte[] body) {
        JsonNode n = json(body);
        return n.hasNonNull("message") ? n.get("message").asText() : new String(body, StandardCharsets.UTF_8).trim();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }

    @Override
    public void close() throws IOException {
        next.close();
    }

    /** An answer read whole inside the layer, so a connection cut mid-body is a failed attempt like any other. */
    record Buffered(int status, Map<String, List<String>> headers, byte[] body) implements Response {
        static Buffered json(int status, String body) {
            return new Buffered(status, Map.of("Content-Type", List.of("application/json")), body.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public int getStatusCode() {
            return status;
        }

        @Override
        public Map<String, List<String>> getHeaders() {
            return headers;
        }

        @Override
        public InputStream getBody() {
            return new ByteArrayInputStream(body);
        }

        @Override
        public void close() {}
    }
}
