package io.longshore.prune;

import io.longshore.testenv.SettingsDocsContract;

class SettingsDocsTest extends SettingsDocsContract {
    @Override
    protected Object command() {
        return new PruneCommand();
    }
}
