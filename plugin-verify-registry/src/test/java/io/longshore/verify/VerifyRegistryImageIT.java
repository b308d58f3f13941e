package io.longshore.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.longshore.testenv.ImageSmokeContract;
import org.junit.jupiter.api.Test;

/** The longshore/verify-registry image this build made passes the smoke test every plugin image passes. */
class VerifyRegistryImageIT extends ImageSmokeContract {
    VerifyRegistryImageIT() {
        super(new VerifyRegistryCommand());
    }

    @Test
    void keepsC2ForTheDeepWalksSha256() {
        // C1 alone hashes about 15x slower: a deep walk of a large image would be bound by it
        assertEquals("4", jvmFlag("TieredStopAtLevel"));
    }
}
