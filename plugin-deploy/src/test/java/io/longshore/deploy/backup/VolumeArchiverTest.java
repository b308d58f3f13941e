package io.longshore.deploy.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where archives go and come back, and the manifest beside them, without an engine. */
class VolumeArchiverTest {
    @TempDir
    Path dir;

    @Test
    void anArchiveIsWrittenBackIntoTheParentOfWhatWasRead() {
        assertEquals("/var/lib/db", VolumeArchiver.parent("/var/lib/db/dumps"));
        assertEquals("/", VolumeArchiver.parent("/data"));
    }

    @Test
    void eachVolumePathHasAFileOfItsOwn() {
        assertEquals("db.db-data.tar.gz", VolumeArchiver.fileName("db", "db-data", ""));
        assertEquals("db.db-data.dumps_today.tar.gz", VolumeArchiver.fileName("db", "db-data", "dumps/today"));
    }

    @Test
    void theManifestListsEveryArchiveAndOnlyItsOwnerMayReadIt() throws Exception {
        BackupArchive a = new BackupArchive("db", "db-data", "dumps", "/var/lib/db/dumps", "/var/lib/db", dir.resolve("db.db-data.dumps.tar.gz"),
                1536, 1, "ab12");
        Path file = BackupManifest.write(dir, "app-1", List.of(a));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        JsonNode m = new ObjectMapper().readTree(file.toFile()).path("archives").path(0);
        assertEquals("db", m.path("service").asText());
        assertEquals("db-data", m.path("volume").asText());
        assertEquals("dumps", m.path("paths").path(0).asText());
        assertEquals("db.db-data.dumps.tar.gz", m.path("file").asText());
        assertEquals(1536, m.path("bytes").asLong());
        assertEquals(1, m.path("files").asInt());
        assertEquals("ab12", m.path("sha256").asText());
        assertEquals("db: db-data/dumps, 1.5 KiB in 1 file(s)", a.describe());
    }

    @Test
    void theArchiveGzipShrinksTextStoresWhatDoesNotCompressAndGunzipsBackToTheSameBytes() throws Exception {
        byte[] text = "INSERT INTO marker VALUES ('round trip');\n".repeat(60_000).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] noise = new byte[3 << 20];
        new java.util.Random(7).nextBytes(noise);
        for (byte[] data : java.util.List.of(text, noise)) {
            java.io.ByteArrayOutputStream file = new java.io.ByteArrayOutputStream();
            try (java.io.OutputStream gz = new VolumeArchiver.FastGzip(file)) {
                for (int at = 0; at < data.length; at += 16_384) {
                    gz.write(data, at, Math.min(16_384, data.length - at));
                }
            }
            byte[] back = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(file.toByteArray())).readAllBytes();
            org.junit.jupiter.api.Assertions.assertArrayEquals(data, back);
            if (data == text) {
                org.junit.jupiter.api.Assertions.assertTrue(file.size() < data.length / 10, "text compresses: " + file.size());
            } else {
                org.junit.jupiter.api.Assertions.assertTrue(file.size() < data.length * 1.01, "noise is stored: " + file.size());
            }
        }
    }
}
