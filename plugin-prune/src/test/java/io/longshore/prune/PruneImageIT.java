package io.longshore.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.longshore.testenv.ImageSmokeContract;
import org.junit.jupiter.api.Test;

/** The longshore/prune image this build made passes the smoke test every plugin image passes. */
class PruneImageIT extends ImageSmokeContract {
    PruneImageIT() {
        super(new PruneCommand());
    }

    @Test
    void runsAsAShortJobOnC1Alone() {
        // the images' default (images.jit): C2's compile threads would cost a short job start-up time
        assertEquals("1", jvmFlag("TieredStopAtLevel"));
    }
}
