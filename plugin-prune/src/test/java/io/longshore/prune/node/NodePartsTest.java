package io.longshore.prune.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class NodePartsTest {
    @Test
    void aNodesPartRunsTheSamePruneSettingsOnItsOwnDataRoot() {
        assertEquals(List.of("--node-part", "--threshold", "80", "--until", "24h", "--path", "/var/lib/docker", "--force=false",
                "--dry-run=true"), NodeParts.args(80, "24h", false, true));
    }

    @Test
    void aPartsSummaryIsTheSentenceOfItsClosingLine() {
        NodeParts.Part p = new NodeParts.Part("n2", "id", 0, List.of("==> [1/3] gates", "prune: ok (exit 0, 1.4s): pruned 1 containers"), null);
        assertEquals("pruned 1 containers", p.summary());
        assertTrue(p.ok());
    }

    @Test
    void aNodeThatCouldNotBeAskedIsNotOk() {
        NodeParts.Part p = new NodeParts.Part("n2", "id", null, List.of(), "node n2 is down: it cannot be asked");
        assertFalse(p.ok());
        assertEquals("node n2 is down: it cannot be asked", p.summary());
    }
}
