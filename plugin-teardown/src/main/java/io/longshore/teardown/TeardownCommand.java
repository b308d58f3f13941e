package io.longshore.teardown;

import io.longshore.kit.run.Job;
import io.longshore.kit.run.Launcher;
import io.longshore.kit.run.Outcome;
import io.longshore.kit.run.Plugin;
import io.longshore.kit.settings.InvalidSettingException;
import io.longshore.kit.settings.ReportSetting;
import io.longshore.kit.settings.StringList;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "teardown", mixinStandardHelpOptions = true,
        description = "Remove a run's stack and everything it created, then verify that nothing is left; "
                + "janitor mode reaps expired runs.")
public final class TeardownCommand implements Plugin {

    @Option(names = "--stack", description = "The run (stack name) to tear down")
    String stack;

    @Option(names = "--janitor", arity = "0..1", fallbackValue = "true", defaultValue = "false",
            description = "Reap every longshore run whose io.longshore.expires has passed")
    boolean janitor;

    @Option(names = "--ttl", description = "janitor: reap runs older than this instead of trusting their expiry label")
    Duration ttl;

    @Option(names = "--protect", description = "Stack name globs that are never touched")
    StringList protect;

    @Option(names = "--dry-run", arity = "0..1", fallbackValue = "true", defaultValue = "false",
            description = "Print the plan (every object that would go, by kind) and change nothing")
    boolean dryRun;

    @Option(names = "--timeout", defaultValue = "2m", description = "Deadline for removing and verifying one run")
    Duration timeout;

    @Mixin
    ReportSetting report;

    public static void main(String[] args) {
        Launcher.main(new TeardownCommand(), args);
    }

    @Override
    public void validate(Job job) throws InvalidSettingException {
        if (!janitor && (stack == null || stack.isBlank())) {
            throw InvalidSettingException.of("--stack", "is required unless PLUGIN_JANITOR is true: the run (stack name) to tear down");
        }
    }

    @Override
    public Outcome run(Job job) {
        return Outcome.failed("the teardown job is not built yet");
    }
}
