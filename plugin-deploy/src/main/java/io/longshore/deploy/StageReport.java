package io.longshore.deploy;

import io.longshore.deploy.run.CommandResult;
import io.longshore.deploy.run.StageResult;
import java.util.List;

/** A stage's result as the JSON report records it (durations in milliseconds). */
public record StageReport(String name, String status, long durationMs, String message, String outputTail, List<Command> commands) {
    public record Command(String name, String kind, String status, long durationMs, Integer exitCode, String message, String outputTail) {}

    public static StageReport of(StageResult r) {
        return new StageReport(r.name(), r.status().name(), r.duration().toMillis(), r.message(), r.outputTail(),
                r.commands().stream().map(StageReport::of).toList());
    }

    private static Command of(CommandResult c) {
        return new Command(c.name(), c.kind(), c.status().name(), c.duration().toMillis(), c.exitCode(), c.message(), c.outputTail());
    }
}
