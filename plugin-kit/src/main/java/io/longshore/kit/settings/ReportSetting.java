package io.longshore.kit.settings;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code report}: every plugin can write its JSON report. Mixed into each command. */
public final class ReportSetting {
    @Option(names = "--report", paramLabel = "<path>",
            description = "Write the JSON report (outcome, exit code, timings and the plugin's details) to this file")
    public Path report;
}
