package io.longshore.deploy.plan;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.longshore.deploy.plan.TestCommand;

/**
 * One command of {@code tests}, {@code seed} or {@code verify} as it will run: interpolated with the
 * env of the release it runs against, and where it runs.
 */
public record TestPlan(String kind, TestCommand command, Target target) {

    /** Where a command runs. */
    public sealed interface Target {
        /** Inside a running task container of this swarm service. */
        record Exec(String service) implements Target {}

        /** As a one-off replicated job: the body of {@code POST /services/create}. */
        record Job(String name, ObjectNode spec) implements Target {}
    }

    /** {@code 'web: test -s /www/index.html': exec in app_web: test -s /www/index.html (timeout 2m)}. */
    public String describe() {
        String where = switch (target) {
            case Target.Exec e -> "exec in " + e.service();
            case Target.Job j -> "job " + j.name() + " (" + command.image() + ")";
        };
        return "'" + command.name() + "': " + where + ": " + command.display() + " (timeout "
                + io.longshore.kit.settings.SettingFormats.formatDuration(command.timeout()) + ")";
    }
}
