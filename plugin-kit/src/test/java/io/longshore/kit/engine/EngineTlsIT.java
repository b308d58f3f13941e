package io.longshore.kit.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.longshore.kit.run.UnreachableException;
import io.longshore.testenv.TestEnv;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.net.ssl.SSLServerSocket;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine client over tcp+TLS as the Docker CLI reads it (DOCKER_HOST=tcp://…,
 * DOCKER_TLS_VERIFY=1, DOCKER_CERT_PATH with ca.pem, cert.pem, key.pem), against the private
 * engine behind a mutual-TLS front that only accepts clients signed by the test CA.
 */
class EngineTlsIT {
    static final HeldCertificate CA = new HeldCertificate.Builder().certificateAuthority(0).commonName("engine-ca").build();
    static final HeldCertificate SERVER = new HeldCertificate.Builder().signedBy(CA).commonName("engine")
            .addSubjectAlternativeName("127.0.0.1").addSubjectAlternativeName("localhost").build();
    static final HeldCertificate CLIENT = new HeldCertificate.Builder().signedBy(CA).commonName("ci").build();

    SSLServerSocket front;
    Path socket;

    @BeforeEach
    void startMutualTlsFront() throws IOException {
        String host = TestEnv.dockerHost();
        socket = Path.of(host.replaceFirst("^unix://", ""));
        HandshakeCertificates serverCerts = new HandshakeCertificates.Builder()
                .heldCertificate(SERVER, CA.certificate()).addTrustedCertificate(CA.certificate()).build();
        front = (SSLServerSocket) serverCerts.sslContext().getServerSocketFactory()
                .createServerSocket(0, 16, InetAddress.getLoopbackAddress());
        front.setNeedClientAuth(true);
        Thread.ofVirtual().start(this::accept);
    }

    @AfterEach
    void stop() throws IOException {
        front.close();
    }

    private void accept() {
        while (!front.isClosed()) {
            try {
                Socket client = front.accept();
                SocketChannel engine = SocketChannel.open(UnixDomainSocketAddress.of(socket));
                InputStream fromClient = client.getInputStream();
                OutputStream toClient = client.getOutputStream();
                InputStream fromEngine = Channels.newInputStream(engine);
                OutputStream toEngine = Channels.newOutputStream(engine);
                Thread.ofVirtual().start(() -> pump(fromClient, toEngine, client, engine));
                Thread.ofVirtual().start(() -> pump(fromEngine, toClient, client, engine));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private static void pump(InputStream in, OutputStream out, AutoCloseable a, AutoCloseable b) {
        try {
            in.transferTo(out);
        } catch (IOException e) {
            // one side closed or the handshake failed: close both below
        } finally {
            closeQuietly(a);
            closeQuietly(b);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // already closed
        }
    }

    Path certPath(Path dir, boolean withClientCert) throws IOException {
        Files.writeString(dir.resolve("ca.pem"), CA.certificatePem());
        if (withClientCert) {
            Files.writeString(dir.resolve("cert.pem"), CLIENT.certificatePem());
            Files.writeString(dir.resolve("key.pem"), CLIENT.privateKeyPkcs8Pem());
        }
        return dir;
    }

    @Test
    void reachesTheEngineOverTcpWithTlsFromTheCliVariables(@TempDir Path dir) throws Exception {
        Map<String, String> env = Map.of("DOCKER_HOST", "tcp://127.0.0.1:" + front.getLocalPort(),
                "DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH", certPath(dir, true).toString());
        try (Engine engine = Engine.connect(env).ping()) {
            assertTrue(engine.get("/version").path("ApiVersion").asText().startsWith("1."));
            assertEquals(engine.docker().infoCmd().exec().getId(), engine.get("/info").path("ID").asText());
        }
    }

    @Test
    void anEngineThatRefusesTheClientIsUnreachableWithThePlainReason(@TempDir Path dir) throws Exception {
        Path certs = certPath(dir, true);
        HeldCertificate stranger = new HeldCertificate.Builder().certificateAuthority(0).commonName("stranger").build();
        HeldCertificate strangersClient = new HeldCertificate.Builder().signedBy(stranger).build();
        Files.writeString(certs.resolve("cert.pem"), strangersClient.certificatePem());
        Files.writeString(certs.resolve("key.pem"), strangersClient.privateKeyPkcs8Pem());
        Map<String, String> env = Map.of("DOCKER_HOST", "tcp://127.0.0.1:" + front.getLocalPort(),
                "DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH", certs.toString());
        try (Engine engine = Engine.connect(env)) {
            UnreachableException e = assertThrows(UnreachableException.class, engine::ping);
            assertTrue(e.getMessage().startsWith("the Docker engine at tcp://127.0.0.1:" + front.getLocalPort() + " cannot be reached"),
                    e.getMessage());
        }
    }

    @Test
    void aMissingSocketIsUnreachableNotACrash() {
        try (Engine engine = Engine.connect(Map.of("DOCKER_HOST", "unix:///run/longshore-test/no-such.sock"))) {
            UnreachableException e = assertThrows(UnreachableException.class, engine::ping);
            assertTrue(e.getMessage().contains("no-such.sock"), e.getMessage());
        }
    }
}
