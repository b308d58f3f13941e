package io.longshore.testenv;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import io.longshore.kit.wait.Deadline;
import io.longshore.kit.wait.Pace;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A unix-socket HTTP/1.1 proxy in front of the private engine's socket that breaks chosen calls
 * the way an engine that restarts or a flaky connection does: a reset before the engine sees the
 * request, a lost answer (the engine acts, the client never hears), a stall, or a hold until the
 * test lets go. Point {@code DOCKER_HOST} at {@link #dockerHost()}. Like the registry FaultProxy,
 * each client connection is kept alive with its own upstream connection.
 */
public final class EngineFaultProxy implements AutoCloseable {
    public sealed interface Fault {}

    public record Pass() implements Fault {}

    /** Closes the connection before forwarding: the engine never sees the request. */
    public record Reset() implements Fault {}

    /** Forwards, lets the engine act and answer, then closes without relaying the answer. */
    public record LoseAnswer() implements Fault {}

    /** Waits this long, then forwards. */
    public record Stall(Duration delay) implements Fault {}

    /** Waits until {@link #release()}, then forwards. */
    public record Hold() implements Fault {}

    /** One request as the proxy saw it; {@code n} counts from 1. */
    public record Request(String method, String path, int n) {
        /** The path without the API version prefix docker-java adds, and without the query. */
        public String route() {
            String p = path.replaceFirst("^/v\\d+\\.\\d+(?=/)", "");
            int q = p.indexOf('?');
            return q < 0 ? p : p.substring(0, q);
        }

        public boolean is(String method, String route) {
            return this.method.equals(method) && route().equals(route);
        }

        public boolean startsWith(String method, String routePrefix) {
            return this.method.equals(method) && route().startsWith(routePrefix);
        }
    }

    public interface Policy {
        Fault decide(Request r);
    }

    public static final Policy PASS = r -> new Pass();

    private final Path socket;
    private final Path upstream;
    private final ServerSocketChannel server;
    private volatile Policy policy;
    private final AtomicInteger requests = new AtomicInteger();
    private final List<Request> seen = new CopyOnWriteArrayList<>();
    private final List<Request> faulted = new CopyOnWriteArrayList<>();
    private final List<SocketChannel> open = new CopyOnWriteArrayList<>();
    private final List<SocketChannel> upstreams = new CopyOnWriteArrayList<>();
    private volatile CountDownLatch released = new CountDownLatch(1);
    private final AtomicInteger holding = new AtomicInteger();

    public EngineFaultProxy(Path dir, Policy policy) throws IOException {
        String host = TestEnv.dockerHost();
        if (!host.startsWith("unix://")) {
            throw new IllegalStateException("the fault proxy fronts a unix socket; DOCKER_HOST is " + host);
        }
        this.upstream = Path.of(host.substring("unix://".length()));
        this.socket = dir.resolve("engine.sock");
        Files.deleteIfExists(socket);
        this.policy = policy;
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket), 256);
        Thread.ofVirtual().name("engine-fault-proxy").start(this::accept);
    }

    public String dockerHost() {
        return "unix://" + socket;
    }

    public void policy(Policy p) {
        policy = p;
    }

    /** Every request so far, in order. */
    public List<Request> seen() {
        return List.copyOf(seen);
    }

    /** The requests a fault other than pass was applied to. */
    public List<Request> faulted() {
        return List.copyOf(faulted);
    }

    public long count(String method, String route) {
        return seen.stream().filter(r -> r.is(method, route)).count();
    }

    /** Waits until at least one request is held; false at the timeout. */
    public boolean awaitHeld(Duration timeout) throws InterruptedException {
        return Deadline.in(timeout).await(() -> holding.get() > 0, Pace.every(Duration.ofMillis(10)));
    }

    /**
     * Closes every connection to the engine, so that each request from now on needs a new one: an
     * engine that has begun to stop refuses those, while it may still answer on connections it had.
     */
    public void dropUpstreams() {
        for (SocketChannel u : upstreams) {
            try {
                u.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        upstreams.clear();
    }

    /** Lets every held request go on to the engine. */
    public void release() {
        released.countDown();
    }

    private void accept() {
        while (server.isOpen()) {
            try {
                SocketChannel c = server.accept();
                open.add(c);
                Thread.ofVirtual().start(() -> handle(c));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void handle(SocketChannel client) {
        SocketChannel up = null;
        InputStream ui = null;
        OutputStream uo = null;
        try (client) {
            InputStream in = input(client);
            OutputStream out = output(client);
            while (true) {
                byte[] head = HttpFrames.readHead(in);
                if (head == null) {
                    return;
                }
                String text = new String(head, StandardCharsets.ISO_8859_1);
                String[] requestLine = text.substring(0, text.indexOf("\r\n")).split(" ");
                Request r = new Request(requestLine[0], requestLine.length > 1 ? requestLine[1] : "/", requests.incrementAndGet());
                seen.add(r);
                byte[] body = readBody(in, text, false);
                Fault fault = policy.decide(r);
                if (!(fault instanceof Pass)) {
                    faulted.add(r);
                }
                switch (fault) {
                    case Reset x -> {
                        return;
                    }
                    case Stall s -> Thread.sleep(s.delay().toMillis());
                    case Hold h -> {
                        holding.incrementAndGet();
                        try {
                            released.await(5, TimeUnit.MINUTES);
                        } finally {
                            holding.decrementAndGet();
                        }
                    }
                    default -> { }
                }
                if (up == null || !up.isOpen()) {
                    try {
                        up = SocketChannel.open(UnixDomainSocketAddress.of(upstream));
                        upstreams.add(up);
                    } catch (IOException e) {
                        return; // the engine is not there: the client sees its connection closed, as with a stopping engine
                    }
                    ui = input(up);
                    uo = output(up);
                }
                uo.write(head);
                uo.write(body);
                uo.flush();
                byte[] answerHead = HttpFrames.readHead(ui);
                if (answerHead == null) {
                    return;
                }
                String answer = new String(answerHead, StandardCharsets.ISO_8859_1);
                int status = Integer.parseInt(answer.substring(9, 12));
                boolean noBody = r.method().equals("HEAD") || status == 204 || status == 304;
                if (fault instanceof LoseAnswer) {
                    if (!noBody) {
                        readBody(ui, answer, true); // let the engine finish; the client never hears
                    }
                    return;
                }
                out.write(answerHead);
                if (status == 101) {
                    out.flush();
                    pipe(ui, out, in, uo);
                    return;
                }
                boolean untilClose = relayBody(ui, out, answer, noBody);
                out.flush();
                if (untilClose) {
                    return;
                }
            }
        } catch (IOException | InterruptedException e) {
            // the client or the engine went away
        } finally {
            open.remove(client);
            upstreams.remove(up);
            if (up != null) {
                try {
                    up.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }

    /** Both ways until either side closes (an upgraded exec stream). */
    private static void pipe(InputStream fromUp, OutputStream toClient, InputStream fromClient, OutputStream toUp) throws IOException {
        Thread back = Thread.ofVirtual().start(() -> {
            try {
                fromClient.transferTo(toUp);
            } catch (IOException ignored) {
                // one side closed
            }
        });
        try {
            fromUp.transferTo(toClient);
        } finally {
            back.interrupt();
        }
    }

    /** The request or answer body as its headers frame it; with {@code toEnd} an unframed answer is read to the close. */
    private static byte[] readBody(InputStream in, String head, boolean answer) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long length = HttpFrames.contentLength(head);
        if (HttpFrames.chunked(head)) {
            HttpFrames.copyChunks(in, out);
        } else if (length >= 0) {
            HttpFrames.copy(in, out, length);
        } else if (answer) {
            in.transferTo(out);
        }
        return out.toByteArray();
    }

    /** Relays an answer body; true when the connection is done afterwards (no framing, or it said close). */
    private static boolean relayBody(InputStream in, OutputStream out, String head, boolean noBody) throws IOException {
        boolean close = head.toLowerCase(Locale.ROOT).contains("\r\nconnection: close");
        if (noBody) {
            return close;
        }
        long length = HttpFrames.contentLength(head);
        if (HttpFrames.chunked(head)) {
            HttpFrames.copyChunks(in, out);
            return close;
        }
        if (length >= 0) {
            HttpFrames.copy(in, out, length);
            return close;
        }
        in.transferTo(out);
        return true;
    }

    /** Streams straight on the channel (its own streams would serialise reads and writes on one lock). */
    private static InputStream input(SocketChannel ch) {
        return new java.io.BufferedInputStream(new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return len == 0 ? 0 : ch.read(ByteBuffer.wrap(b, off, len));
            }
        }, 64 * 1024);
    }

    private static OutputStream output(SocketChannel ch) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                ByteBuffer buf = ByteBuffer.wrap(b, off, len);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            }
        };
    }

    @Override
    public void close() throws IOException {
        release();
        server.close();
        for (SocketChannel c : new ArrayList<>(open)) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        Files.deleteIfExists(socket);
    }
}
