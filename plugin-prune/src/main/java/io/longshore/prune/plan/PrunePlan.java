package io.longshore.prune.plan;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a prune removes, by kind, with sizes; computed purely, printed by {@code dry_run}.
 * {@code cutoff} (now − until, to the second) is the one age boundary both the plan and the
 * engine calls use.
 */
public record PrunePlan(Instant cutoff, List<Item> containers, List<Item> images, List<Item> buildCache, List<Kept> kept) {

    /** An item that looked like garbage but stays, and why (keep label, too new, in use). */
    public record Kept(Item.Kind kind, String id, String why) {}

    public List<Item> all() {
        List<Item> all = new ArrayList<>(containers);
        all.addAll(images);
        all.addAll(buildCache);
        return all;
    }

    public boolean isEmpty() {
        return containers.isEmpty() && images.isEmpty() && buildCache.isEmpty();
    }

    public long bytes() {
        return all().stream().mapToLong(Item::sizeBytes).sum();
    }
}
