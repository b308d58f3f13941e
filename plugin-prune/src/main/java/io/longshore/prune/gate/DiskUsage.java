package io.longshore.prune.gate;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/** Disk use of a filesystem as {@code df} reports it: used / (used + available to users). */
public record DiskUsage(Path path, long totalBytes, long usedBytes, long availableBytes) {
    public static DiskUsage of(Path path) throws IOException {
        FileStore store = Files.getFileStore(path);
        long total = store.getTotalSpace();
        long used = total - store.getUnallocatedSpace();
        return new DiskUsage(path, total, used, store.getUsableSpace());
    }

    public double percent() {
        long denominator = usedBytes + availableBytes;
        return denominator == 0 ? 0 : 100.0 * usedBytes / denominator;
    }
}
