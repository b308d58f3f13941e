package io.longshore.deploy;

import io.longshore.testenv.ImageSmokeContract;

/** The longshore/deploy image this build made passes the smoke test every plugin image passes. */
class DeployImageIT extends ImageSmokeContract {
    DeployImageIT() {
        super(new DeployCommand());
    }
}
