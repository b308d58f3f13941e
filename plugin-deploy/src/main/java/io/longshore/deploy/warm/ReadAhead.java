package io.longshore.deploy.warm;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads a stream ahead on a thread of its own, a few megabytes at most, so that reading it (one
 * engine connection) and writing what was read (another) overlap instead of taking turns.
 */
public final class ReadAhead extends InputStream {
    private static final int CHUNK = 1 << 20;
    private static final int DEPTH = 8;
    private static final byte[] END = new byte[0];

    private final BlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(DEPTH);
    private final Thread reader;
    private volatile IOException failure;
    private byte[] current = new byte[0];
    private int pos;
    private boolean ended;

    private ReadAhead(InputStream in) {
        reader = Thread.ofVirtual().name("longshore-read-ahead").start(() -> {
            try {
                while (true) {
                    byte[] buf = in.readNBytes(CHUNK);
                    if (buf.length == 0) {
                        break;
                    }
                    chunks.put(buf);
                }
            } catch (IOException e) {
                failure = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                chunks.put(END);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    public static InputStream of(InputStream in) {
        return new ReadAhead(in);
    }

    private boolean fill() throws IOException {
        while (!ended && pos >= current.length) {
            try {
                current = chunks.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while reading ahead", e);
            }
            pos = 0;
            if (current == END) {
                ended = true;
                if (failure != null) {
                    throw failure;
                }
            }
        }
        return !ended;
    }

    @Override
    public int read() throws IOException {
        return fill() ? current[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, current.length - pos);
        System.arraycopy(current, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public void close() {
        reader.interrupt();
        chunks.clear();
    }
}
