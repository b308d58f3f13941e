package io.longshore.deploy.converge;

import io.longshore.kit.engine.Engine;
import io.longshore.kit.engine.EngineStreams;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The engine's events about a stack's containers (created, started, died, health changed), followed
 * on a stream of their own so a watch can look again the moment something happens instead of on a
 * fixed poll. Only a wake-up signal: what changed is always read from the engine's lists. When the
 * stream cannot be opened or ends (an engine restart), {@link #live()} turns false and the watcher
 * falls back to its poll. A stream closed before its first event ends with the next event of the
 * stack (a teardown makes several) or with the process: its thread is a virtual one.
 */
final class StackEvents implements AutoCloseable {
    private final Semaphore signal = new Semaphore(0);
    private volatile InputStream stream;
    private volatile boolean live;
    private volatile boolean closed;

    private StackEvents() {}

    /**
     * Starts following {@code stack}'s container events from now on. Opening the stream can wait
     * for the engine's answer (without {@code since=} its head comes only with the first event; with
     * it, at once), so it is opened on the reading thread, and the watch counts on it until it fails.
     */
    static StackEvents follow(Engine engine, String stack) {
        StackEvents e = new StackEvents();
        String path = io.longshore.kit.engine.Filter.NONE.and("type", "container")
                .andLabel(io.longshore.kit.stack.RunLabels.STACK_NAMESPACE + "=" + stack).on("/events?since=" + Instant.now().getEpochSecond());
        e.live = true;
        Thread.ofVirtual().name("events " + stack).start(() -> e.read(engine, path));
        return e;
    }

    /** An event stream that never fires, for a watcher without one. */
    static StackEvents none() {
        return new StackEvents();
    }

    private void read(Engine engine, String path) {
        try {
            InputStream in = EngineStreams.get(engine, path); // the answer's head: with since=, before any event
            stream = in;
            if (closed) {
                in.close();
                return;
            }
            signal.release(); // one extra look, harmless
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                while (!closed && r.readLine() != null) {
                    signal.release();
                }
            }
        } catch (IOException | RuntimeException ex) {
            // closed by us, or the engine went away
        } finally {
            live = false;
            signal.release(); // whoever waits looks again, and from now on polls
        }
    }

    /** True while the stream is open and delivering. */
    boolean live() {
        return live && !closed;
    }

    /** Waits up to {@code max} for an event; true when one (or more) came. */
    boolean await(Duration max) throws InterruptedException {
        boolean got = signal.tryAcquire(Math.max(0, max.toMillis()), TimeUnit.MILLISECONDS);
        signal.drainPermits();
        return got;
    }

    @Override
    public void close() {
        closed = true;
        InputStream s = stream;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // the stream is going away either way
            }
        }
    }
}
