package io.longshore.deploy;

import java.util.List;

/**
 * The seam to the run model's teardown, janitor and host lock (plugin-kit {@code stack} and
 * {@code lock}): deploy decides when they run, the kit decides how.
 */
public interface RunHousekeeping {
    /** Reaps expired runs (never those matching {@code protect}) before a deploy; returns a summary line. */
    String reapExpired(List<String> protect) throws InterruptedException;

    /** Takes the host lock the settings name; closing the handle releases it. */
    AutoCloseable lock() throws Exception;

    /**
     * Prepares the teardown of {@code stack}; with {@code onExit} the teardown also runs from the
     * exit hooks (SIGTERM). {@link Guard#tearDown()} runs it at most once.
     */
    Guard guard(String stack, boolean onExit);

    /**
     * Removes every object of {@code stack} now (between stages, so the next one starts from
     * nothing) and waits until the engine no longer lists them; the run itself goes on.
     */
    Cleanup clear(String stack) throws InterruptedException;

    /**
     * Removes the services of {@code stack} and its volumes (a backup stage destroying the data;
     * secrets, configs and networks stay, as they would on the host the app is restored on) and
     * waits until the engine no longer lists them nor their tasks.
     */
    Cleanup clearData(String stack) throws InterruptedException;

    interface Guard extends AutoCloseable {
        Cleanup tearDown() throws InterruptedException;

        /** Drops the exit hook; does not tear down. */
        @Override
        void close();
    }

    /** {@code clean}: nothing of the run is left. */
    record Cleanup(boolean clean, String summary, Object details) {}
}
