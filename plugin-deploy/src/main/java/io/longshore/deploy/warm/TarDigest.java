package io.longshore.deploy.warm;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * A digest of the files a tar stream holds, computed as the stream passes through: every entry's
 * path, type, permission bits, numeric owner and group, size, link target and content, in path
 * order. Times are left out (an extraction sets a directory's own), so the same tree gives the same
 * digest whether it was read out of the volume it was snapshotted from or out of the snapshot.
 * Reads ustar, PAX ({@code path}, {@code linkpath}, {@code size}, {@code uid}, {@code gid}) and GNU
 * long names, as the engine's archive endpoint writes them.
 */
public final class TarDigest {
    private static final int BLOCK = 512;

    /** What a tree holds: regular files' bytes, how many entries of any kind, and the digest. */
    public record Summary(long bytes, int files, int entries, String sha256) {}

    private final Map<String, String> entries = new TreeMap<>();
    private final byte[] header = new byte[BLOCK];
    private int headerFill;
    private long remaining;
    private long padding;
    private Meta current;
    private MessageDigest content;
    private StringBuilder extended;
    private char extendedKind;
    private Map<String, String> pax = new TreeMap<>();
    private String longName;
    private String longLink;
    private long bytes;
    private int files;
    private boolean ended;
    /** False for {@link #counting()}: the entries are read, their contents not hashed. */
    private final boolean hashContents;

    /** A digest of the tree, contents included. */
    public TarDigest() {
        this(true);
    }

    private TarDigest(boolean hashContents) {
        this.hashContents = hashContents;
    }

    /**
     * Counts what the stream holds (bytes, files, entries) without hashing contents, for a caller
     * that hashes the stream itself: the summary's digest then covers the entries' metadata only.
     */
    public static TarDigest counting() {
        return new TarDigest(false);
    }

    private record Meta(String path, char type, long mode, long uid, long gid, long size, String link) {}

    /** An input stream that feeds this digest with everything read through it. */
    public InputStream tap(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    feed(new byte[] {(byte) b}, 0, 1);
                }
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                int n = super.read(buf, off, len);
                if (n > 0) {
                    feed(buf, off, n);
                }
                return n;
            }
        };
    }

    /** Feeds {@code len} bytes of the stream. */
    public void feed(byte[] buf, int off, int len) {
        int i = off;
        int end = off + len;
        while (i < end && !ended) {
            if (remaining > 0) {
                int n = (int) Math.min(remaining, end - i);
                if (extended != null) {
                    extended.append(new String(buf, i, n, StandardCharsets.UTF_8));
                } else if (content != null) {
                    content.update(buf, i, n);
                }
                remaining -= n;
                i += n;
                if (remaining == 0) {
                    endData();
                }
            } else if (padding > 0) {
                int n = (int) Math.min(padding, end - i);
                padding -= n;
                i += n;
            } else {
                int n = Math.min(BLOCK - headerFill, end - i);
                System.arraycopy(buf, i, header, headerFill, n);
                headerFill += n;
                i += n;
                if (headerFill == BLOCK) {
                    headerFill = 0;
                    header();
                }
            }
        }
    }

    private void header() {
        boolean zero = true;
        for (byte b : header) {
            if (b != 0) {
                zero = false;
                break;
            }
        }
        if (zero) {
            return; // the end-of-archive blocks
        }
        char type = (char) (header[156] == 0 ? '0' : header[156]);
        long size = number(124, 12);
        padding = (BLOCK - size % BLOCK) % BLOCK;
        remaining = size;
        if (type == 'x' || type == 'g' || type == 'L' || type == 'K') {
            extended = new StringBuilder();
            extendedKind = type;
            if (size == 0) {
                endData();
            }
            return;
        }
        String name = text(0, 100);
        String prefix = magic() ? text(345, 155) : "";
        String path = longName != null ? longName : pax.getOrDefault("path", prefix.isEmpty() ? name : prefix + "/" + name);
        String link = longLink != null ? longLink : pax.getOrDefault("linkpath", text(157, 100));
        long realSize = pax.containsKey("size") ? Long.parseLong(pax.get("size")) : size;
        long uid = pax.containsKey("uid") ? Long.parseLong(pax.get("uid")) : number(108, 8);
        long gid = pax.containsKey("gid") ? Long.parseLong(pax.get("gid")) : number(116, 8);
        if (pax.containsKey("size")) {
            remaining = realSize;
            padding = (BLOCK - realSize % BLOCK) % BLOCK;
        }
        current = new Meta(normal(path), type, number(100, 8) & 07777, uid, gid, type == '0' || type == '7' ? realSize : 0, link);
        pax = new TreeMap<>();
        longName = null;
        longLink = null;
        if (type == '0' || type == '7') {
            content = hashContents ? sha256() : null;
            if (!hashContents) {
                record(null);
            }
            bytes += realSize;
            files++;
            if (remaining == 0) {
                endData();
            }
        } else {
            record(null);
            remaining = 0;
            padding = 0;
        }
    }

    private void endData() {
        if (extended != null) {
            String text = extended.toString();
            extended = null;
            switch (extendedKind) {
                case 'x' -> pax = parsePax(text);
                case 'L' -> longName = text.replaceAll("\u0000+$", "");
                case 'K' -> longLink = text.replaceAll("\u0000+$", "");
                default -> { } // global PAX headers carry nothing a tree's identity depends on
            }
            return;
        }
        if (content != null) {
            record(HexFormat.of().formatHex(content.digest()));
            content = null;
        }
    }

    private void record(String sha) {
        Meta m = current;
        entries.put(m.path(), entry(m.type(), m.mode(), m.uid(), m.gid(), m.size(), m.link(), sha));
    }

    /**
     * What one entry contributes to the digest: its type (a tar type flag), permission bits, numeric
     * owner and group, size (regular files only), link target ({@code ""} for none) and content
     * digest (null for none). {@link VolumeTree} records a tree walked on disk in the same form.
     */
    static String entry(char type, long mode, long uid, long gid, long size, String link, String sha) {
        return type + " " + Long.toOctalString(mode & 07777) + " " + uid + ":" + gid + " " + size + " "
                + (link.isEmpty() ? "-" : link) + " " + (sha == null ? "-" : sha);
    }

    /** The summary of everything fed so far. */
    public Summary summary() {
        return summary(entries, bytes, files);
    }

    /** The summary of a tree's entries (path → {@link #entry}), however they were read. */
    static Summary summary(Map<String, String> entries, long bytes, int files) {
        MessageDigest d = sha256();
        new TreeMap<>(entries).forEach((path, meta) -> d.update((path + "\u0000" + meta + "\n").getBytes(StandardCharsets.UTF_8)));
        return new Summary(bytes, files, entries.size(), "sha256:" + HexFormat.of().formatHex(d.digest()));
    }

    private static Map<String, String> parsePax(String text) {
        Map<String, String> out = new TreeMap<>();
        int i = 0;
        while (i < text.length()) {
            int space = text.indexOf(' ', i);
            if (space < 0) {
                break;
            }
            int len;
            try {
                len = Integer.parseInt(text.substring(i, space));
            } catch (NumberFormatException e) {
                break;
            }
            // the length counts bytes; records here are ASCII keys with UTF-8 values, so find the newline instead
            int nl = text.indexOf('\n', space);
            if (nl < 0 || len <= 0) {
                break;
            }
            String record = text.substring(space + 1, nl);
            int eq = record.indexOf('=');
            if (eq > 0) {
                out.put(record.substring(0, eq), record.substring(eq + 1));
            }
            i = nl + 1;
        }
        return out;
    }

    private boolean magic() {
        return header[257] == 'u' && header[258] == 's' && header[259] == 't' && header[260] == 'a' && header[261] == 'r';
    }

    private String text(int off, int len) {
        int end = off;
        while (end < off + len && header[end] != 0) {
            end++;
        }
        return new String(header, off, end - off, StandardCharsets.UTF_8);
    }

    /** An octal field, or GNU's base-256 form for large values. */
    private long number(int off, int len) {
        if ((header[off] & 0x80) != 0) {
            long v = header[off] & 0x7f;
            for (int i = off + 1; i < off + len; i++) {
                v = (v << 8) | (header[i] & 0xff);
            }
            return v;
        }
        String s = text(off, len).trim();
        return s.isEmpty() ? 0 : Long.parseLong(s, 8);
    }

    private static String normal(String path) {
        String p = path.startsWith("./") ? path.substring(2) : path;
        return p.endsWith("/") && p.length() > 1 ? p.substring(0, p.length() - 1) : p;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
