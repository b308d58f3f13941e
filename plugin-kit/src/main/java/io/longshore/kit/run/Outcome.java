package io.longshore.kit.run;

/**
 * What a plugin's run ended in. Errors are values until the edge: only the launcher maps an
 * outcome to an exit code. {@code summary} is the one plain sentence a user reads last;
 * {@code details} is the plugin's own part of the JSON report (a record or map), may be null.
 */
public sealed interface Outcome {
    String summary();

    Object details();

    ExitStatus status();

    record Ok(String summary, Object details) implements Outcome {
        public ExitStatus status() {
            return ExitStatus.OK;
        }
    }

    record Failed(String summary, Object details) implements Outcome {
        public ExitStatus status() {
            return ExitStatus.FAILED;
        }
    }

    record Invalid(String summary) implements Outcome {
        public Object details() {
            return null;
        }

        public ExitStatus status() {
            return ExitStatus.INVALID;
        }
    }

    record Unreachable(String summary, Object details) implements Outcome {
        public ExitStatus status() {
            return ExitStatus.UNREACHABLE;
        }
    }

    record Locked(String summary, Object details) implements Outcome {
        public ExitStatus status() {
            return ExitStatus.LOCKED;
        }
    }

    /** The process was asked to end before the job did; the summary starts with {@link ShutdownHooks.Cancellation#sentence}. */
    record Cancelled(String summary, Object details) implements Outcome {
        public ExitStatus status() {
            return ExitStatus.CANCELLED;
        }
    }

    static Outcome ok(String summary) {
        return new Ok(summary, null);
    }

    static Outcome failed(String summary) {
        return new Failed(summary, null);
    }
}
