package io.longshore.deploy;

import io.longshore.testenv.SettingsDocsContract;

class SettingsDocsTest extends SettingsDocsContract {
    @Override
    protected Object command() {
        return new DeployCommand();
    }
}
