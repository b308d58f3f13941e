package io.longshore.kit.run;

import io.longshore.kit.settings.InvalidSettingException;
import io.longshore.kit.settings.Setting;

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

    /**
     * The settings cannot be used (exit 2). The refusal carries the {@code PLUGIN_} variable it
     * refuses, and the summary always names it before the problem: PRODUCT.md
     * promises that every exit-2 message names its variable. {@code variable} is null only for a
     * command-line argument that is no setting at all.
     */
    record Invalid(String variable, String problem) implements Outcome {
        public Invalid {
            if (variable != null && !variable.matches(Setting.PREFIX + "[A-Z0-9_]+")) {
                throw new IllegalArgumentException("not a PLUGIN_ variable: " + variable);
            }
            java.util.Objects.requireNonNull(problem, "problem");
        }

        public String summary() {
            return variable == null ? problem : variable + ": " + problem;
        }

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

    /** The refusal of the setting declared as {@code --foo-bar}. */
    static Outcome invalid(String longOption, String problem) {
        return new Invalid(Setting.variableFor(longOption), problem);
    }

    static Outcome invalid(InvalidSettingException e) {
        return new Invalid(e.variable(), e.problem());
    }

    static Outcome ok(String summary) {
        return new Ok(summary, null);
    }

    static Outcome failed(String summary) {
        return new Failed(summary, null);
    }
}
