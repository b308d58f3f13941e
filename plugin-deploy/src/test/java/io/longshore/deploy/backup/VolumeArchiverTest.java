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
}
