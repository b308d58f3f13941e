package io.longshore.deploy.warm;

import java.nio.file.Path;
import java.util.List;

/**
 * Warm mode's own settings, beside the deploy settings it shares (recipe, env, timeout, health):
 * the app's fixed stack name, the release-notes markers that hold an upgrade, when to snapshot its
 * volumes, where alerts go, and the filesystem the engine keeps volumes on (for the free-space check).
 */
public record WarmSettings(String stack, List<String> holdMarkers, SnapshotPolicy snapshot, Path alertDir, Path dataRoot) {
    public WarmSettings {
        holdMarkers = List.copyOf(holdMarkers);
    }

    /** auto: snapshot when the app has named volumes; always: also say so when it has none; never: no snapshot. */
    public enum SnapshotPolicy { auto, always, never }
}
