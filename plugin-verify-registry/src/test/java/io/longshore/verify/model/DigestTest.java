package io.longshore.verify.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DigestTest {
    @Test
    void parsesSha256AndSha512AndKnowsWhichItCanVerify() {
        Digest d = Digest.parse("sha256:" + "0".repeat(64));
        assertTrue(d.verifiable());
        assertTrue(Digest.parse("sha512:" + "f".repeat(128)).verifiable());
        Digest other = Digest.parse("blake3:" + "0".repeat(64));
        assertFalse(other.verifiable());
    }

    @Test
    void refusesTextThatIsNotAlgorithmColonHex() {
        for (String bad : new String[] {"", "abc", "sha256:", ":abc", "sha256:XYZ", "sha256:" + "A".repeat(64), "sha256:" + "0".repeat(63), "SHA256:" + "0".repeat(64)}) {
            assertThrows(IllegalArgumentException.class, () -> Digest.parse(bad), bad);
        }
    }

    @Test
    void hashesContentAndNamesItsReferrersTag() {
        Digest d = Digest.sha256("hello".getBytes(StandardCharsets.UTF_8));
        assertEquals("sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", d.toString());
        assertEquals("sha256-2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", d.referrersTag());
        assertEquals("sha256:2cf24dba5fb0", d.shortForm());
    }
}
