package io.longshore.prune;

import io.longshore.testenv.ImageSmokeContract;

/** The longshore/prune image this build made passes the smoke test every plugin image passes. */
class PruneImageIT extends ImageSmokeContract {
    PruneImageIT() {
        super(new PruneCommand());
    }
}
