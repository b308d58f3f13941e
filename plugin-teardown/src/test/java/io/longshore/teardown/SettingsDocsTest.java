package io.longshore.teardown;

import io.longshore.testenv.SettingsDocsContract;

class SettingsDocsTest extends SettingsDocsContract {
    @Override
    protected Object command() {
        return new TeardownCommand();
    }
}
