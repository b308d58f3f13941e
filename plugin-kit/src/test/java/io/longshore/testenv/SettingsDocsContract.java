package io.longshore.testenv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.longshore.kit.settings.SettingsDocs;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each plugin module extends this: the README's settings table and the plugin's docs.md must
 * match the setting declarations, and docs.md must carry Woodpecker's plugin-index front matter.
 */
public abstract class SettingsDocsContract {
    protected abstract Object command();

    private static boolean update() {
        return Boolean.getBoolean(SettingsDocs.UPDATE_PROPERTY);
    }

    @Test
    void theReadmeTableMatchesTheDeclarations() throws Exception {
        SettingsDocs.sync(Path.of("..", "README.md"), command(), update());
    }

    @Test
    void theDocsPageTableMatchesTheDeclarations() throws Exception {
        SettingsDocs.sync(Path.of("docs.md"), command(), update());
    }

    @Test
    void theDocsPageHasThePluginIndexFrontMatter() throws Exception {
        assertEquals(List.of(), SettingsDocs.missingFrontMatter(Path.of("docs.md")));
    }
}
