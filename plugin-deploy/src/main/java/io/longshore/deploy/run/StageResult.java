package io.longshore.deploy.run;

import java.time.Duration;
import java.util.List;

/**
 * One stage's result. {@code message} says why a stage failed or was skipped; {@code commands}
 * are its seed/verify/tests commands in the order they ran.
 */
public record StageResult(String name, Status status, Duration duration, String message, String outputTail,
                          List<CommandResult> commands) {
    public StageResult {
        commands = List.copyOf(commands);
    }

    public static StageResult skipped(String name, String why) {
        return new StageResult(name, Status.SKIPPED, Duration.ZERO, why, null, List.of());
    }
}
