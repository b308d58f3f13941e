package io.longshore.verify;

import io.longshore.testenv.SettingsDocsContract;

class SettingsDocsTest extends SettingsDocsContract {
    @Override
    protected Object command() {
        return new VerifyRegistryCommand();
    }
}
