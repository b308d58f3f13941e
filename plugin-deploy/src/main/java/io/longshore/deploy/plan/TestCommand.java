package io.longshore.deploy.plan;

import java.time.Duration;
import java.util.List;

/**
 * One command of {@code tests}, {@code seed} or {@code verify}: run inside a running task of
 * {@code service} (exec), or, when {@code image} is set, as a one-off job on the stack's networks.
 * {@code argv} is the exec form; a command written as one string runs as {@code sh -c}.
 */
public record TestCommand(String name, String service, List<String> argv, Duration timeout, String image) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

    public TestCommand {
        argv = List.copyOf(argv);
    }

    /** The command as a person would type it, for summaries. */
    public String display() {
        if (argv.size() == 3 && argv.get(0).equals("sh") && argv.get(1).equals("-c")) {
            return argv.get(2);
        }
        return String.join(" ", argv);
    }
}
