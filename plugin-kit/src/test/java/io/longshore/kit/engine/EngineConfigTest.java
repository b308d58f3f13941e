package io.longshore.kit.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.longshore.kit.engine.EngineClients.EngineConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EngineConfigTest {
    @Test
    void defaultsToTheLocalSocket() {
        EngineConfig c = EngineConfig.from(Map.of("HOME", "/home/ci"));
        assertEquals("unix:///var/run/docker.sock", c.host());
        assertFalse(c.tlsVerify());
    }

    @Test
    void readsTcpWithTlsAsTheCliDoes() {
        EngineConfig c = EngineConfig.from(Map.of("DOCKER_HOST", "tcp://10.0.0.5:2376", "DOCKER_TLS_VERIFY", "1",
                "DOCKER_CERT_PATH", "/certs"));
        assertEquals("tcp://10.0.0.5:2376", c.host());
        assertTrue(c.tlsVerify());
        assertEquals(Path.of("/certs"), c.certPath());
    }

    @Test
    void anEmptyDockerHostIsUnset() {
        assertEquals(EngineClients.DEFAULT_HOST, EngineConfig.from(Map.of("DOCKER_HOST", "")).host());
    }
}
