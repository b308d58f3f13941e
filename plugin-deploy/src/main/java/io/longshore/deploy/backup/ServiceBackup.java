package io.longshore.deploy.backup;

import java.util.ArrayList;
import java.util.List;

/**
 * One taking-part service: its swarm service name, its compose name, the volumes it archives, and
 * its hooks (shell commands run in a running container of it; null when the label is absent).
 */
public record ServiceBackup(String service, String shortName, List<VolumeBackup> volumes, Hooks hooks) {
    public ServiceBackup {
        volumes = List.copyOf(volumes);
    }

    public record Hooks(String backupPre, String backupPost, String restorePre, String restorePost) {
        /** {@code backup pre-hook: pg_dump ...} for each hook set, in the order they run. */
        public List<String> lines() {
            List<String> out = new ArrayList<>();
            add(out, "backup pre-hook", backupPre);
            add(out, "backup post-hook", backupPost);
            add(out, "restore pre-hook", restorePre);
            add(out, "restore post-hook", restorePost);
            return out;
        }

        private static void add(List<String> out, String name, String command) {
            if (command != null) {
                out.add(name + ": " + command);
            }
        }
    }
}
