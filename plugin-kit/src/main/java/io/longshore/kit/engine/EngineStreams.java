package io.longshore.kit.engine;

import com.github.dockerjava.transport.DockerHttpClient;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Large Engine API bodies (a volume's tar archive) streamed with the JDK's own Unix-domain socket
 * and big buffers: the general transport is made for small JSON answers and moves a tar archive
 * several times slower than the engine writes it. Over TCP the general transport is used.
 */
public final class EngineStreams {
    private static final int BUFFER = 1 << 20;

    private EngineStreams() {}

    /** The body of {@code GET path}; close it to end the request. A status >= 400 is an {@link EngineApiException}. */
    public static InputStream get(Engine engine, String path) throws IOException {
        if (!unix(engine)) {
            DockerHttpClient.Response r = engine.http().execute(DockerHttpClient.Request.builder()
                    .method(DockerHttpClient.Request.Method.GET).path(path).build());
            if (r.getStatusCode() >= 400) {
                String why = text(r.getBody());
                r.close();
                throw new EngineApiException(r.getStatusCode(), "GET " + path + ": " + why);
            }
            return new FilterInputStream(r.getBody()) {
                @Override
                public void close() throws IOException {
                    try {
                        super.close();
                    } finally {
                        r.close();
                    }
                }
            };
        }
        SocketChannel ch = open(engine);
        try {
            OutputStream out = Channels.newOutputStream(ch);
            out.write(("GET " + path + " HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = new BufferedInputStream(Channels.newInputStream(ch), BUFFER);
            Head head = head(in);
            InputStream body = head.chunked ? new Chunked(in) : head.length >= 0 ? new Limited(in, head.length) : in;
            if (head.status >= 400) {
                String why = text(body);
                ch.close();
                throw new EngineApiException(head.status, "GET " + path + ": " + message(why));
            }
            return new FilterInputStream(body) {
                @Override
                public void close() throws IOException {
                    ch.close();
                }
            };
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** {@code PUT path} with {@code body} streamed as it is read; a status >= 400 is an {@link EngineApiException}. */
    public static void put(Engine engine, String path, String contentType, InputStream body) throws IOException {
        if (!unix(engine)) {
            try (DockerHttpClient.Response r = engine.http().execute(DockerHttpClient.Request.builder()
                    .method(DockerHttpClient.Request.Method.PUT).path(path).putHeader("Content-Type", contentType).body(body).build())) {
                if (r.getStatusCode() >= 400) {
                    throw new EngineApiException(r.getStatusCode(), "PUT " + path + ": " + text(r.getBody()));
                }
            }
            return;
        }
        try (SocketChannel ch = open(engine)) {
            OutputStream out = Channels.newOutputStream(ch);
            out.write(("PUT " + path + " HTTP/1.1\r\nHost: docker\r\nConnection: close\r\nContent-Type: " + contentType
                    + "\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] buf = new byte[BUFFER];
            int n;
            while ((n = body.readNBytes(buf, 0, buf.length)) > 0) {
                out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(buf, 0, n);
                out.write('\r');
                out.write('\n');
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = new BufferedInputStream(Channels.newInputStream(ch));
            Head head = head(in);
            if (head.status >= 400) {
                InputStream b = head.chunked ? new Chunked(in) : head.length >= 0 ? new Limited(in, head.length) : in;
                throw new EngineApiException(head.status, "PUT " + path + ": " + message(text(b)));
            }
        }
    }

    private static boolean unix(Engine engine) {
        return engine.host().startsWith("unix://");
    }

    private static SocketChannel open(Engine engine) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(engine.host().substring("unix://".length())));
        } catch (IOException e) {
            ch.close();
            throw new IOException("cannot connect to the Docker engine at " + engine.host() + ": " + e.getMessage(), e);
        }
        return ch;
    }

    private record Head(int status, boolean chunked, long length) {}

    private static Head head(InputStream in) throws IOException {
        String status = line(in);
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("the engine answered '" + status + "', not HTTP");
        }
        boolean chunked = false;
        long length = -1;
        for (String l = line(in); !l.isEmpty(); l = line(in)) {
            String lower = l.toLowerCase(Locale.ROOT);
            if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            } else if (lower.startsWith("content-length:")) {
                length = Long.parseLong(l.substring(l.indexOf(':') + 1).trim());
            }
        }
        return new Head(Integer.parseInt(parts[1]), chunked, length);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("the engine closed the connection mid-answer");
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    /** A chunked body, de-chunked. */
    private static final class Chunked extends InputStream {
        private final InputStream in;
        private long left;
        private boolean done;

        Chunked(InputStream in) {
            this.in = in;
        }

        private boolean next() throws IOException {
            if (done) {
                return false;
            }
            if (left == 0) {
                String size = line(in);
                int semi = size.indexOf(';');
                left = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
                if (left == 0) {
                    while (!line(in).isEmpty()) {
                        // trailers
                    }
                    done = true;
                    return false;
                }
            }
            return true;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (!next()) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new IOException("the engine closed the connection mid-chunk");
            }
            left -= n;
            if (left == 0) {
                line(in); // the CRLF after the chunk
            }
            return n;
        }
    }

    /** A body of a known length. */
    private static final class Limited extends InputStream {
        private final InputStream in;
        private long left;

        Limited(InputStream in, long length) {
            this.in = in;
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int c = in.read();
            if (c >= 0) {
                left--;
            }
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }

    private static String text(InputStream in) {
        try (in) {
            return in == null ? "" : new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return "";
        }
    }

    private static String message(String body) {
        int i = body.indexOf("\"message\":\"");
        if (i >= 0) {
            int end = body.indexOf('"', i + 11);
            return end > i ? body.substring(i + 11, end) : body;
        }
        return body;
    }
}
