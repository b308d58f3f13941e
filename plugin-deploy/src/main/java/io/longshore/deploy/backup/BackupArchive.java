package io.longshore.deploy.backup;

import java.nio.file.Path;

/**
 * One archive a backup wrote: which service, volume and path it holds, the container path it was
 * read from and the one it is written back into, the file, and what it holds (regular files'
 * bytes, file count) with the sha256 of the {@code .tar.gz} itself.
 */
public record BackupArchive(String service, String volume, String path, String source, String restoreTo, Path file,
                            long bytes, int files, String sha256) {
    /** {@code db: db-data/dump.sql, 1.2 KiB in 1 file(s)}. */
    public String describe() {
        return service + ": " + volume + (path.isEmpty() ? "" : "/" + path) + ", " + size(bytes) + " in " + files + " file(s)";
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(java.util.Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
}
