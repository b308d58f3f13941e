package io.longshore.deploy.warm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tree digest of tar streams as GNU tar and the engine write them, fed in arbitrary pieces. */
class TarDigestTest {
    @TempDir
    Path dir;

    private Path tree(String name, String content) throws IOException {
        Path root = Files.createDirectories(dir.resolve(name).resolve("v"));
        Files.writeString(root.resolve("a.txt"), content);
        Path deep = Files.createDirectories(root.resolve("d".repeat(60)).resolve("e".repeat(60)));
        Files.write(deep.resolve("f".repeat(90) + ".bin"), new byte[70_000]);
        Files.createSymbolicLink(root.resolve("link"), Path.of("a.txt"));
        Files.createLink(root.resolve("hard"), root.resolve("a.txt"));
        return dir.resolve(name);
    }

    private byte[] tar(Path base, String format) throws Exception {
        Path out = dir.resolve(base.getFileName() + "-" + format + ".tar");
        Process p = new ProcessBuilder("tar", "--format=" + format, "-cf", out.toString(), "-C", base.toString(), "v")
                .redirectErrorStream(true).start();
        assertEquals(0, p.waitFor(), new String(p.getInputStream().readAllBytes()));
        return Files.readAllBytes(out);
    }

    private static TarDigest.Summary digest(byte[] tar, long seed) throws IOException {
        return digest(new TarDigest(), tar, seed);
    }

    private static TarDigest.Summary digest(TarDigest d, byte[] tar, long seed) throws IOException {
        Random r = new Random(seed);
        try (InputStream in = d.tap(new java.io.ByteArrayInputStream(tar))) {
            byte[] buf = new byte[2048];
            while (true) {
                int n = in.read(buf, 0, 1 + r.nextInt(buf.length - 1));
                if (n < 0) {
                    break;
                }
            }
        }
        return d.summary();
    }

    @Test
    void theSameTreeGivesTheSameDigestInEveryTarFormatPieceSizeAndModificationTime() throws Exception {
        Path one = tree("one", "marker");
        Path two = tree("two", "marker");
        try (var walk = Files.walk(two)) {
            for (Path p : walk.toList()) {
                if (!Files.isSymbolicLink(p)) {
                    Files.setLastModifiedTime(p, FileTime.fromMillis(86_400_000L));
                }
            }
        }
        TarDigest.Summary gnu = digest(tar(one, "gnu"), 1);
        assertEquals(gnu, digest(tar(one, "pax"), 2));
        assertEquals(gnu, digest(tar(two, "gnu"), 3));
        assertEquals(gnu, digest(tar(two, "pax"), 4));
        assertEquals(6 + 70_000, gnu.bytes());
        // a.txt, the long-named file, and the hard link's own entry; directories and the symlink have no bytes
        assertEquals(List.of(2, 7), List.of(gnu.files(), gnu.entries()));
    }

    @Test
    void countingReadsTheSameEntriesWithoutHashingContents() throws Exception {
        byte[] one = tar(tree("one", "marker"), "pax");
        TarDigest.Summary full = digest(one, 1);
        TarDigest.Summary counted = digest(TarDigest.counting(), one, 2);
        assertEquals(List.of(full.bytes(), (long) full.files(), (long) full.entries()),
                List.of(counted.bytes(), (long) counted.files(), (long) counted.entries()));
        // contents are not in a counting digest: another byte gives the same one
        assertEquals(counted.sha256(), digest(TarDigest.counting(), tar(tree("two", "markex"), "pax"), 3).sha256());
    }

    @Test
    void aChangedByteOrModeChangesTheDigest() throws Exception {
        TarDigest.Summary base = digest(tar(tree("one", "marker"), "pax"), 1);
        assertNotEquals(base.sha256(), digest(tar(tree("two", "markex"), "pax"), 1).sha256());
        Path three = tree("three", "marker");
        Files.setPosixFilePermissions(three.resolve("v/a.txt"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        assertNotEquals(base.sha256(), digest(tar(three, "pax"), 1).sha256());
    }

    @Test
    void tappingAStreamPassesEveryByteOn() throws Exception {
        byte[] tar = tar(tree("one", "marker"), "gnu");
        TarDigest d = new TarDigest();
        java.io.ByteArrayOutputStream copy = new java.io.ByteArrayOutputStream();
        try (InputStream in = d.tap(new java.io.ByteArrayInputStream(tar)); OutputStream out = copy) {
            in.transferTo(out);
        }
        assertEquals(tar.length, copy.size());
    }
}
