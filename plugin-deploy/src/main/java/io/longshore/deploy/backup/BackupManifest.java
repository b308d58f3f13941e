package io.longshore.deploy.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/** {@code manifest.json} beside the archives: per archive its service, volume, path, file, bytes, file count and sha256. */
public final class BackupManifest {
    public static final String FILE = "manifest.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private BackupManifest() {}

    public static ObjectNode of(String stack, List<BackupArchive> archives) {
        ObjectNode root = JSON.createObjectNode();
        root.put("stack", stack);
        ArrayNode list = root.putArray("archives");
        for (BackupArchive a : archives) {
            ObjectNode o = list.addObject();
            o.put("service", a.service());
            o.put("volume", a.volume());
            o.putArray("paths").add(a.path().isEmpty() ? "/" : a.path());
            o.put("source", a.source());
            o.put("file", a.file().getFileName().toString());
            o.put("bytes", a.bytes());
            o.put("files", a.files());
            o.put("sha256", a.sha256());
        }
        return root;
    }

    /** Writes the manifest into {@code dir}, readable by its owner only (it names what a dump holds). */
    public static Path write(Path dir, String stack, List<BackupArchive> archives) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(FILE);
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, JSON.writeValueAsString(of(stack, archives)) + "\n");
        return file;
    }
}
