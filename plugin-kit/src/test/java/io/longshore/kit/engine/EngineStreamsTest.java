package io.longshore.kit.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The archive streams over a Unix-domain socket, against a one-answer HTTP server on one. */
class EngineStreamsTest {
    @TempDir
    Path dir;

    /** Serves one connection: records the request bytes, answers {@code answer}. */
    private Engine serve(byte[] answer, AtomicReference<byte[]> request) throws Exception {
        Path sock = dir.resolve("engine.sock");
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(sock));
        Thread.ofVirtual().start(() -> {
            try (server; SocketChannel c = server.accept()) {
                InputStream in = Channels.newInputStream(c);
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                byte[] buf = new byte[8192];
                // a request ends with its head (GET) or with the last chunk (PUT)
                while (true) {
                    int n = in.read(buf);
                    if (n < 0) {
                        break;
                    }
                    got.write(buf, 0, n);
                    String text = got.toString(StandardCharsets.ISO_8859_1);
                    if ((text.startsWith("GET") && text.contains("\r\n\r\n")) || text.endsWith("\r\n0\r\n\r\n")) {
                        break;
                    }
                }
                request.set(got.toByteArray());
                OutputStream out = Channels.newOutputStream(c);
                out.write(answer);
                out.flush();
            } catch (Exception e) {
                request.set(("failed: " + e).getBytes(StandardCharsets.UTF_8));
            }
        });
        return new Engine(null, null, "unix://" + sock);
    }

    private static byte[] chunked(byte[] body, int chunk) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("HTTP/1.1 200 OK\r\nContent-Type: application/x-tar\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < body.length; i += chunk) {
            int n = Math.min(chunk, body.length - i);
            out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, i, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    @Test
    void aChunkedArchiveIsReadBackWhole() throws Exception {
        byte[] body = new byte[3_000_000];
        new Random(7).nextBytes(body);
        AtomicReference<byte[]> request = new AtomicReference<>();
        Engine engine = serve(chunked(body, 65_537), request);
        try (InputStream in = EngineStreams.get(engine, "/containers/x/archive?path=%2Fv")) {
            assertArrayEquals(body, in.readAllBytes());
        }
        assertTrue(new String(request.get(), StandardCharsets.US_ASCII).startsWith("GET /containers/x/archive?path=%2Fv HTTP/1.1\r\n"));
    }

    @Test
    void anErrorAnswerIsTheEnginesMessage() throws Exception {
        byte[] answer = "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n{\"message\":\"No such container: x\"}     "
                .getBytes(StandardCharsets.US_ASCII);
        Engine engine = serve(answer, new AtomicReference<>());
        EngineApiException e = assertThrows(EngineApiException.class, () -> EngineStreams.get(engine, "/containers/x/archive?path=/v"));
        assertEquals(404, e.status());
        assertTrue(e.getMessage().contains("No such container: x"), e.getMessage());
    }

    @Test
    void aPutSendsTheBodyChunked() throws Exception {
        byte[] body = "a tar archive".repeat(100_000).getBytes(StandardCharsets.US_ASCII);
        AtomicReference<byte[]> request = new AtomicReference<>();
        Engine engine = serve("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII), request);
        EngineStreams.put(engine, "/containers/y/archive?path=/", "application/x-tar", new ByteArrayInputStream(body));
        String sent = new String(request.get(), StandardCharsets.ISO_8859_1);
        assertTrue(sent.startsWith("PUT /containers/y/archive?path=/ HTTP/1.1\r\n"), sent.substring(0, 80));
        assertTrue(sent.contains("Transfer-Encoding: chunked\r\n"));
        String payload = sent.substring(sent.indexOf("\r\n\r\n") + 4);
        ByteArrayOutputStream decoded = new ByteArrayOutputStream();
        int i = 0;
        while (true) {
            int nl = payload.indexOf("\r\n", i);
            int n = Integer.parseInt(payload.substring(i, nl), 16);
            if (n == 0) {
                break;
            }
            decoded.write(request.get(), (int) (sent.indexOf("\r\n\r\n") + 4 + nl + 2), n);
            i = nl + 2 + n + 2;
        }
        assertArrayEquals(body, decoded.toByteArray());
    }
}
