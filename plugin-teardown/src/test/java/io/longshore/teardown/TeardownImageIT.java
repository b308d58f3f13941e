package io.longshore.teardown;

import io.longshore.testenv.ImageSmokeContract;

/** The longshore/teardown image this build made passes the smoke test every plugin image passes. */
class TeardownImageIT extends ImageSmokeContract {
    TeardownImageIT() {
        super(new TeardownCommand());
    }
}
