package io.longshore.deploy.backup;

import java.util.List;

/**
 * One volume a service archives: its compose key ({@code db-data}), the engine's volume name, the
 * mount target in the service's containers, and the paths under it (empty: the whole volume).
 */
public record VolumeBackup(String key, String volume, String target, List<String> paths) {
    public VolumeBackup {
        paths = List.copyOf(paths);
    }

    /** {@code db-data at /var/lib/db (dump.sql)} or {@code data at /data (whole volume)}. */
    public String describe() {
        return key + " at " + target + " (" + (paths.isEmpty() ? "whole volume" : String.join(", ", paths)) + ")";
    }

    /** The container paths archived: the mount target, or each path under it. */
    public List<String> sources() {
        String root = target.endsWith("/") ? target.substring(0, target.length() - 1) : target;
        return paths.isEmpty() ? List.of(target) : paths.stream().map(p -> root + "/" + p).toList();
    }
}
