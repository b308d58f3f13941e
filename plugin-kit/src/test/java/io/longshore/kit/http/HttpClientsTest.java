package io.longshore.kit.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLHandshakeException;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpClientsTest {
    static final HeldCertificate CA = new HeldCertificate.Builder().certificateAuthority(0).commonName("test-ca").build();
    static final HeldCertificate SERVER = new HeldCertificate.Builder().signedBy(CA).addSubjectAlternativeName("localhost").build();

    MockWebServer tlsServer() throws Exception {
        MockWebServer server = new MockWebServer();
        server.useHttps(new HandshakeCertificates.Builder().heldCertificate(SERVER, CA.certificate()).build().sslSocketFactory());
        server.enqueue(new MockResponse.Builder().code(200).body("ok").build());
        server.start();
        return server;
    }

    String get(OkHttpClient client, MockWebServer server) throws Exception {
        try (Response r = client.newCall(new Request.Builder().url(server.url("/v2/")).build()).execute()) {
            return r.body().string();
        }
    }

    @Test
    void trustsACustomCaBesidesTheSystemOnes(@TempDir Path dir) throws Exception {
        Path pem = dir.resolve("ca.pem");
        Files.writeString(pem, CA.certificatePem());
        try (MockWebServer server = tlsServer()) {
            OkHttpClient client = HttpClients.create(HttpOptions.defaults("t").withTls(false, pem));
            assertEquals("ok", get(client, server));
            assertEquals("t", server.takeRequest().getHeaders().get("User-Agent"));
        }
    }

    @Test
    void refusesAnUnknownCaUnlessInsecure() throws Exception {
        try (MockWebServer server = tlsServer()) {
            assertThrows(SSLHandshakeException.class, () -> get(HttpClients.create(HttpOptions.defaults("t")), server));
            server.enqueue(new MockResponse.Builder().code(200).body("ok").build());
            assertEquals("ok", get(HttpClients.create(HttpOptions.defaults("t").withTls(true, null)), server));
        }
    }
}
