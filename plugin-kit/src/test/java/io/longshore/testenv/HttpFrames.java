package io.longshore.testenv;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * HTTP/1.1 message framing for the test proxies (the engine's {@link EngineFaultProxy}, the
 * registry's FaultProxy): a head read to its blank line, and a body relayed as its head frames it
 * (Content-Length, chunked, or to the close).
 */
public final class HttpFrames {
    private static final int MAX_HEAD = 64 * 1024;

    private HttpFrames() {}

    /**
     * The head, up to and including its blank line; null when the connection closes first, the head
     * is larger than 64 KiB, or the first byte is a TLS ClientHello (these proxies speak plain HTTP and
     * hang up as a plain server would).
     */
    public static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int state = 0;
        for (int c; (c = in.read()) != -1; ) {
            if (buf.size() == 0 && c == 0x16) {
                return null;
            }
            buf.write(c);
            state = switch (state) {
                case 0, 2 -> c == '\r' ? state + 1 : 0;
                case 1 -> c == '\n' ? 2 : (c == '\r' ? 1 : 0);
                case 3 -> c == '\n' ? 4 : (c == '\r' ? 1 : 0);
                default -> 0;
            };
            if (state == 4) {
                return buf.toByteArray();
            }
            if (buf.size() > MAX_HEAD) {
                return null;
            }
        }
        return null;
    }

    /** The Content-Length a head declares, or -1. */
    public static long contentLength(String head) {
        for (String l : head.split("\r\n")) {
            if (l.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Long.parseLong(l.substring(15).trim());
            }
        }
        return -1;
    }

    public static boolean chunked(String head) {
        for (String l : head.split("\r\n")) {
            String lower = l.toLowerCase(Locale.ROOT);
            if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                return true;
            }
        }
        return false;
    }

    /** The head says {@code Connection: close}. */
    public static boolean closes(String head) {
        for (String l : head.split("\r\n")) {
            String lower = l.toLowerCase(Locale.ROOT);
            if (lower.startsWith("connection:") && lower.contains("close")) {
                return true;
            }
        }
        return false;
    }

    /** Exactly {@code n} bytes from {@code in} to {@code out}. */
    public static void copy(InputStream in, OutputStream out, long n) throws IOException {
        byte[] buf = new byte[64 * 1024];
        while (n > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, n));
            if (r < 0) {
                throw new IOException("body ended early");
            }
            out.write(buf, 0, r);
            n -= r;
        }
    }

    /** A chunked body as it is framed (sizes, data, trailers), each chunk flushed as it comes (a stream such as pull progress). */
    public static void copyChunks(InputStream in, OutputStream out) throws IOException {
        while (true) {
            String sizeLine = readLine(in);
            out.write((sizeLine + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            int semi = sizeLine.indexOf(';');
            long size = Long.parseLong((semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).trim(), 16);
            if (size == 0) {
                for (String trailer; !(trailer = readLine(in)).isEmpty(); ) {
                    out.write((trailer + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                }
                out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                return;
            }
            copy(in, out, size + 2); // data and its CRLF
            out.flush();
        }
    }

    /** One line without its CRLF. */
    public static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c; (c = in.read()) != -1; ) {
            if (c == '\n') {
                int len = sb.length();
                return len > 0 && sb.charAt(len - 1) == '\r' ? sb.substring(0, len - 1) : sb.toString();
            }
            sb.append((char) c);
        }
        throw new IOException("closed mid-chunk");
    }
}
