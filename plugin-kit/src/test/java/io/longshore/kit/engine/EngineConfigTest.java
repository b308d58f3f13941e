package io.longshore.kit.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.longshore.kit.engine.EngineClients.EngineConfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import javax.net.ssl.SSLContext;
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
    void aSocketsClientIsBuiltWithoutMakingATlsContext() {
        EngineConfig socket = EngineConfig.from(Map.of("DOCKER_HOST", "unix:///nonexistent/docker.sock"));
        TlsOnFirstUse tls = assertInstanceOf(TlsOnFirstUse.class, EngineClients.sslConfig(socket));

        new ApacheDockerHttpClient.Builder().dockerHost(URI.create(socket.host())).sslConfig(tls).build();

        assertFalse(tls.made(), "building the transport made the default TLS context");
    }

    @Test
    void theDeferredContextIsTheDefaultOnceUsed() throws Exception {
        TlsOnFirstUse tls = new TlsOnFirstUse();

        tls.getSSLContext().getSocketFactory();

        assertTrue(tls.made());
        assertSame(SSLContext.getDefault().getClientSessionContext(), tls.getSSLContext().getClientSessionContext());
    }

    @Test
    void plainTcpHasNoTlsContextAndVerifiedTcpHasTheCertPaths() {
        assertNull(EngineClients.sslConfig(EngineConfig.from(Map.of("DOCKER_HOST", "tcp://10.0.0.5:2375"))));
        assertInstanceOf(PemTls.class, EngineClients.sslConfig(EngineConfig.from(Map.of("DOCKER_HOST", "tcp://10.0.0.5:2376",
                "DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH", "/certs"))));
    }

    @Test
    void anEmptyDockerHostIsUnset() {
        assertEquals(EngineClients.DEFAULT_HOST, EngineConfig.from(Map.of("DOCKER_HOST", "")).host());
    }
}
