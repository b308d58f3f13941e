package io.longshore.verify;

import io.longshore.testenv.ImageSmokeContract;

/** The longshore/verify-registry image this build made passes the smoke test every plugin image passes. */
class VerifyRegistryImageIT extends ImageSmokeContract {
    VerifyRegistryImageIT() {
        super(new VerifyRegistryCommand());
    }
}
