package io.longshore.prune.plan;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the engine holds, as far as prune cares: read once (the executor never re-lists), so the
 * plan is computed from one consistent picture and {@code dry_run} shows exactly what a real run removes.
 */
public record Inventory(List<ContainerInfo> containers, List<ImageInfo> images, List<CacheInfo> buildCache) {

    public record ContainerInfo(String id, String name, String imageId, String state, Instant created, long sizeRw,
                                Map<String, String> labels) {}

    /** {@code tags} empty (or only {@code <none>:<none>}) means dangling. */
    public record ImageInfo(String id, List<String> tags, Instant created, long size, int containers,
                            Map<String, String> labels) {}

    public record CacheInfo(String id, String type, String description, boolean inUse, boolean shared, long size,
                            Instant created, Instant lastUsed) {}
}
