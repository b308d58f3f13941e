package io.longshore.kit.run;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The one place a plugin registers "must run on exit" work (release a lock, finish a teardown).
 * One JVM shutdown hook runs what is still registered, newest first, when the process is ending
 * for any reason — SIGTERM from a cancelled pipeline included. Work that completed normally
 * closes its registration so it does not run twice.
 */
public final class ShutdownHooks {
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Why and where the process was asked to end: the signal (SIGTERM when a pipeline is cancelled)
     * and the step the job was in. A cancelled run's last sentence starts with {@link #sentence}.
     */
    public record Cancellation(String signal, String step) {
        /** {@code cancelled (SIGTERM) during converge; <aftermath>}. */
        public String sentence(String aftermath) {
            String s = "cancelled (" + signal + ")" + (step == null ? "" : " during " + step);
            return aftermath == null || aftermath.isBlank() ? s : s + "; " + aftermath;
        }
    }

    private final Deque<Named> pending = new ArrayDeque<>();
    private final Consumer<String> log;
    private volatile boolean shuttingDown;
    private volatile String signal;
    private volatile Supplier<String> step = () -> null;
    private volatile Cancellation cancellation;
    private boolean installed;

    /**
     * One registration, told apart by identity: two with the same name and work are still two.
     * A class, not a record: a record's equals is bootstrapped through method handles the first
     * time it runs, which every plugin's start would pay for to remove one registration.
     */
    private static final class Named {
        final String name;
        final Runnable work;

        Named(String name, Runnable work) {
            this.name = name;
            this.work = work;
        }
    }

    public ShutdownHooks(Consumer<String> log) {
        this.log = log;
    }

    /** Installs the JVM hook; the launcher calls this once per process. */
    public synchronized void install() {
        if (!installed) {
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("longshore-shutdown").unstarted(this::runAll));
            installed = true;
        }
    }

    public Registration register(String name, Runnable work) {
        Named n = new Named(name, work);
        synchronized (this) {
            pending.push(n);
        }
        return () -> {
            synchronized (ShutdownHooks.this) {
                pending.remove(n);
            }
        };
    }

    /** True once the process has been asked to end (SIGTERM, SIGINT or exit): long waits should stop. */
    public boolean shuttingDown() {
        return shuttingDown;
    }

    /** Set once the process has been asked to end: by which signal, during which step. */
    public Optional<Cancellation> cancellation() {
        return Optional.ofNullable(cancellation);
    }

    /** The signal handler names the signal before the JVM starts its exit hooks. */
    void signalled(String name) {
        signal = name;
    }

    /** Where the job is: read when the process is asked to end. */
    void watchSteps(Supplier<String> current) {
        step = current;
    }

    void runAll() {
        cancellation = new Cancellation(signal == null ? "a signal" : signal, step.get());
        shuttingDown = true;
        while (true) {
            Named next;
            synchronized (this) {
                next = pending.poll();
            }
            if (next == null) {
                return;
            }
            try {
                log.accept("on exit: " + next.name);
                next.work.run();
            } catch (RuntimeException e) {
                log.accept("on exit: " + next.name + " failed: " + e.getMessage());
            }
        }
    }
}
