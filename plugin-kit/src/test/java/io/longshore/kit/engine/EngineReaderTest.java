package io.longshore.kit.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EngineReaderTest {
    @Test
    void demultiplexesLogFramesAndLeavesATtysOutputAsItIs() {
        byte[] frame = {1, 0, 0, 0, 0, 0, 0, 3, 'a', 'b', '\n', 2, 0, 0, 0, 0, 0, 0, 2, 'c', '\n'};
        assertEquals("ab\nc\n", EngineReader.demux(frame));
        assertEquals("plain", EngineReader.demux("plain".getBytes(StandardCharsets.UTF_8)));
    }
}
