package io.longshore.prune;

import io.longshore.kit.lock.LockSettings;
import io.longshore.kit.run.Job;
import io.longshore.kit.run.Launcher;
import io.longshore.kit.run.Outcome;
import io.longshore.kit.run.Plugin;
import io.longshore.kit.settings.InvalidSettingException;
import io.longshore.kit.settings.ReportSetting;
import io.longshore.kit.settings.StringList;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "prune", mixinStandardHelpOptions = true,
        description = "A gated, surgical prune: only under disk pressure, never mid-run, never tagged images or volumes.")
public final class PruneCommand implements Plugin {

    @Option(names = "--threshold", defaultValue = "80", description = "Prune only when disk use of path is at least this percentage")
    int threshold;

    @Option(names = "--path", defaultValue = "/var/lib/docker", description = "The filesystem to measure (mount it read-only into the step)")
    Path path;

    @Option(names = "--until", defaultValue = "24h", description = "Only remove items older than this")
    Duration until;

    @Option(names = "--force", arity = "0..1", fallbackValue = "true", defaultValue = "false",
            description = "Skip the disk gate only; every other gate still holds")
    boolean force;

    @Option(names = "--ignore-stacks", description = "Stack name globs of long-lived stacks that do not count as live runs")
    StringList ignoreStacks;

    @Option(names = "--dry-run", arity = "0..1", fallbackValue = "true", defaultValue = "false",
            description = "Compute and print the plan with sizes and remove nothing")
    boolean dryRun;

    @Mixin
    LockSettings lock;

    @Mixin
    ReportSetting report;

    public static void main(String[] args) {
        Launcher.main(new PruneCommand(), args);
    }

    @Override
    public void validate(Job job) throws InvalidSettingException {
        if (threshold < 0 || threshold > 100) {
            throw InvalidSettingException.of("--threshold", threshold + " is not a percentage; use a whole number from 0 to 100");
        }
    }

    @Override
    public Outcome run(Job job) {
        return Outcome.failed("the prune job is not built yet");
    }
}
