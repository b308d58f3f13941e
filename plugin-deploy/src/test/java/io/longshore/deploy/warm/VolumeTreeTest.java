package io.longshore.deploy.warm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The helper's tree work on a local disk: a replace leaves exactly the source, whatever the target held. */
class VolumeTreeTest {
    @TempDir
    Path dir;

    private Path source() throws IOException {
        Path from = Files.createDirectories(dir.resolve("from"));
        Files.createDirectories(from.resolve("a/b"));
        Files.writeString(from.resolve("a/file"), "new");
        Files.write(from.resolve("a/b/big"), new byte[3 << 20]);
        Files.createLink(from.resolve("a/hard"), from.resolve("a/file"));
        Files.createSymbolicLink(from.resolve("link"), Path.of("a/file"));
        Files.setPosixFilePermissions(from.resolve("a/b"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.setLastModifiedTime(from.resolve("a"), FileTime.fromMillis(1_000_000_000_000L));
        Files.setLastModifiedTime(from, FileTime.fromMillis(1_100_000_000_000L));
        return from;
    }

    private static TarDigest.Summary read(Path root) throws Exception {
        return VolumeTree.digest(VolumeTree.walk(root), null, true);
    }

    @Test
    void aReplaceLeavesExactlyTheSourceAndNothingOfWhatTheTargetHeld() throws Exception {
        Path from = source();
        Path to = Files.createDirectories(dir.resolve("to"));
        Files.createDirectories(to.resolve("a/sealed"));
        Files.writeString(to.resolve("a/file"), "old contents under a name the source has");
        Files.writeString(to.resolve("a/sealed/f"), "x");
        Files.setPosixFilePermissions(to.resolve("a/sealed"), PosixFilePermissions.fromString("r-x------"));
        Files.createDirectories(to.resolve(VolumeTree.OLD + "0badf00d/x"));
        Files.writeString(to.resolve(VolumeTree.OLD + "0badf00d/x/y"), "what a killed replace left");
        Files.createSymbolicLink(to.resolve("outside"), dir.resolve("from"));
        TarDigest.Summary expected = read(from);
        assertNotEquals(expected, read(to));

        assertEquals(expected, VolumeTree.replace(from, to, true));
        assertEquals(expected, read(to), "the target is the source's tree, its root's times included");
        assertEquals(expected, read(from), "the source, reached through a link in the old target, is untouched");
        assertEquals(expected, VolumeTree.replace(from, to, true), "a tree replaced by itself");
        assertEquals(expected, read(to));
        Files.writeString(to.resolve("a/file"), "changed");
        assertEquals(new TarDigest.Summary(expected.bytes(), expected.files(), expected.entries(), null), VolumeTree.replace(from, to, false),
                "unhashed: the same counts, no digest");
        assertEquals(expected, read(to), "and the same tree");
    }

    @Test
    void aTreeThatCannotBeCopiedExactlyIsRefusedBeforeTheTargetChanges() throws Exception {
        Path from = source();
        Process p = new ProcessBuilder("mkfifo", from.resolve("a/pipe").toString()).inheritIO().start();
        assertEquals(0, p.waitFor());
        Path to = Files.createDirectories(dir.resolve("to"));
        Files.writeString(to.resolve("kept"), "kept");
        TarDigest.Summary before = read(to);

        assertThrows(VolumeTree.Unsupported.class, () -> VolumeTree.replace(from, to, true));
        assertEquals(before, read(to));
        assertEquals(List.of(to.resolve("kept")), Files.list(to).toList());
    }
}
