package io.longshore.kit.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SettingsBinderTest {

    @Test
    void namesTheClosestSettingForATypo() {
        List<String> known = List.of("PLUGIN_TAGS", "PLUGIN_REPO", "PLUGIN_DIGEST_FILE");
        assertEquals(Optional.of("PLUGIN_TAGS"), SettingsBinder.closest("PLUGIN_TAGZ", known));
        assertEquals(Optional.of("PLUGIN_DIGEST_FILE"), SettingsBinder.closest("PLUGIN_DIGESTFILE", known));
        assertEquals(Optional.of("PLUGIN_REPO"), SettingsBinder.closest("PLUGIN_REOP", known));
        assertEquals(Optional.empty(), SettingsBinder.closest("PLUGIN_SOMETHING_ELSE", known));
    }

    @Test
    void warnsOnlyAboutPluginVariablesThatAreNotSettings() {
        List<Setting> settings = List.of(new Setting("--tags", "PLUGIN_TAGS", null, false, false, "tags", StringList.class));
        List<String> warnings = SettingsBinder.unknownVariables("verify-registry", settings,
                Map.of("PLUGIN_TAGZ", "x", "PLUGIN_TAGS", "y", "HOME", "/root", "DRONE_REPO", "a/b"));
        assertEquals(List.of("PLUGIN_TAGZ is not a setting of verify-registry; did you mean PLUGIN_TAGS?"), warnings);
    }

    @Test
    void derivesVariableNamesFromLongOptions() {
        assertEquals("PLUGIN_LOCK_TIMEOUT", Setting.variableFor("--lock-timeout"));
        assertEquals("PLUGIN_DRY_RUN", Setting.variableFor("--dry-run"));
    }

    @Test
    void rendersAMarkdownTableRowPerSetting() {
        String md = SettingsTable.markdown(List.of(
                new Setting("--until", "PLUGIN_UNTIL", "24h", false, false, "Only older items", java.time.Duration.class),
                new Setting("--password", "PLUGIN_PASSWORD", null, false, true, "Registry password", Secret.class)));
        assertTrue(md.contains("| `until` | `PLUGIN_UNTIL` | 24h | Only older items |"), md);
        assertTrue(md.contains("| `password` | `PLUGIN_PASSWORD` | secret | Registry password |"), md);
    }

    @picocli.CommandLine.Command(name = "t")
    static final class UrlCommand {
        @picocli.CommandLine.Option(names = "--health-url")
        String healthUrl;
    }

    @Test
    void passesDollarBracesInAVariableThroughUntouched() {
        UrlCommand cmd = new UrlCommand();
        picocli.CommandLine cli = new picocli.CommandLine(cmd);
        SettingsBinder.bind(cli, java.util.Map.of("PLUGIN_HEALTH_URL", "https://${DOMAIN}/health"));
        cli.parseArgs();
        org.junit.jupiter.api.Assertions.assertEquals("https://${DOMAIN}/health", cmd.healthUrl);
    }
}
