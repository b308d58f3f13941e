package io.longshore.kit.output;

/**
 * The one sink a plugin reports progress through. The console and the JSON report both read
 * from it, so what a user sees and what a report records cannot drift apart.
 */
public interface Events {
    /** Starts a named step (and ends the previous one). */
    void step(String name);

    /**
     * Declares the steps the job will take, in order, once it knows them (from its plan), so the
     * console and the report can say "step 3 of 7". Steps are still started one by one with
     * {@link #step}; a declared step that does not happen is skipped in the count.
     */
    default void planSteps(java.util.List<String> names) {}

    /** A line of progress within the current step. */
    void progress(String message);

    /** Something the user should notice that does not fail the job. */
    void warn(String message);

    /** Events that go nowhere: for code run outside a plugin (tests, benchmarks). */
    static Events none() {
        return new Events() {
            public void step(String name) {}

            public void progress(String message) {}

            public void warn(String message) {}
        };
    }

    /** Every event to each sink, in order. */
    static Events fanOut(Events... sinks) {
        return new Events() {
            public void step(String name) {
                for (Events e : sinks) {
                    e.step(name);
                }
            }

            public void planSteps(java.util.List<String> names) {
                for (Events e : sinks) {
                    e.planSteps(names);
                }
            }

            public void progress(String message) {
                for (Events e : sinks) {
                    e.progress(message);
                }
            }

            public void warn(String message) {
                for (Events e : sinks) {
                    e.warn(message);
                }
            }
        };
    }
}
