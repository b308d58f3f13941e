package io.longshore.kit.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class BoundsTest {
    @Command(name = "bounded")
    static final class Bounded {
        @Option(names = "--concurrency", defaultValue = "32", description = "Requests in flight")
        @Bounds(min = "1", max = "256")
        int concurrency;

        @Option(names = "--tags", defaultValue = "20", description = "Tags per repository")
        @Bounds(min = "1")
        int tags;

        @Option(names = "--timeout", defaultValue = "5m", description = "Deadline")
        @Bounds(min = "0s", aboveMin = true)
        Duration timeout;

        @Option(names = "--wait", defaultValue = "10m", description = "Wait")
        @Bounds(min = "0s")
        Duration waitFor;
    }

    private static CommandLine parsed(Map<String, String> env) {
        CommandLine cli = new CommandLine(new Bounded());
        SettingsBinder.bind(cli, env);
        cli.parseArgs();
        return cli;
    }

    private static Setting setting(String option) {
        return Setting.of(new CommandLine(new Bounded()).getCommandSpec().findOption(option));
    }

    @Test
    void theFormAndTheTablesSayWhatIsAllowed() {
        assertEquals("a whole number from 1 to 256", setting("--concurrency").form());
        assertEquals("from 1 to 256", setting("--concurrency").allowed());
        assertEquals("a whole number at least 1", setting("--tags").form());
        assertEquals(SettingFormats.DURATION_FORM + ", longer than 0s", setting("--timeout").form());
        assertEquals("longer than 0s", setting("--timeout").allowed());
        assertEquals("at least 0s", setting("--wait").allowed());
    }

    @Test
    void aValueOutsideItsBoundsIsRefusedNamingItsVariable() throws InvalidSettingException {
        assertEquals(Optional.of("257 is out of range; use a whole number from 1 to 256"), setting("--concurrency").outOfBounds(257));
        assertEquals(Optional.empty(), setting("--concurrency").outOfBounds(256));
        assertEquals(Optional.empty(), setting("--concurrency").outOfBounds(1));
        assertEquals(Optional.of("0s is out of range; use " + SettingFormats.DURATION_FORM + ", longer than 0s"),
                setting("--timeout").outOfBounds(Duration.ZERO));
        assertEquals(Optional.empty(), setting("--wait").outOfBounds(Duration.ZERO));

        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> SettingsBinder.checkBounds(parsed(Map.of("PLUGIN_CONCURRENCY", "0")).getCommandSpec()));
        assertEquals("PLUGIN_CONCURRENCY", e.variable());
        assertEquals("0 is out of range; use a whole number from 1 to 256", e.problem());
        SettingsBinder.checkBounds(parsed(Map.of()).getCommandSpec()); // the defaults are inside
    }

    @Test
    void helpShowsTheBounds() {
        String help = SettingsTable.help(SettingsBinder.settings(new CommandLine(new Bounded()).getCommandSpec()));
        assertEquals(true, help.contains("Form: a whole number from 1 to 256."), help);
    }
}
