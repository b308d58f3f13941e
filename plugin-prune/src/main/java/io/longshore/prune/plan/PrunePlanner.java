package io.longshore.prune.plan;

import io.longshore.kit.settings.SettingFormats;
import io.longshore.kit.stack.RunLabels;
import io.longshore.prune.plan.Inventory.CacheInfo;
import io.longshore.prune.plan.Inventory.ContainerInfo;
import io.longshore.prune.plan.Inventory.ImageInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides what is true garbage: stopped containers, dangling images and unused build cache older
 * than {@code until}, never anything labelled {@code io.longshore.keep=true}. Tagged images,
 * volumes and networks are not even inputs: there is no way for a plan to contain them.
 */
public final class PrunePlanner {
    /** Container states that mean "not running and not about to". */
    private static final Set<String> STOPPED = Set.of("exited", "created", "dead");

    private PrunePlanner() {}

    public static PrunePlan plan(Inventory inv, Instant now, Duration until) {
        // Whole seconds: image creation times are, and the engine's until filter gets this same value.
        Instant cutoff = now.minus(until).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        List<Item> containers = new ArrayList<>();
        List<Item> images = new ArrayList<>();
        List<Item> cache = new ArrayList<>();
        List<PrunePlan.Kept> kept = new ArrayList<>();

        for (ContainerInfo c : inv.containers()) {
            if (!STOPPED.contains(c.state())) {
                continue;
            }
            if (keep(c.labels())) {
                kept.add(new PrunePlan.Kept(Item.Kind.container, c.id(), RunLabels.KEEP + "=true"));
            } else if (!c.created().isBefore(cutoff)) {
                kept.add(new PrunePlan.Kept(Item.Kind.container, c.id(), "newer than " + SettingFormats.formatDuration(until)));
            } else {
                containers.add(new Item(Item.Kind.container, c.id(), c.name(), c.sizeRw(), c.created()));
            }
        }
        // An image used only by containers this plan removes is garbage once they are gone.
        Set<String> goingContainers = new java.util.HashSet<>();
        containers.forEach(c -> goingContainers.add(c.id()));
        Map<String, Integer> going = new java.util.HashMap<>();
        for (ContainerInfo c : inv.containers()) {
            if (goingContainers.contains(c.id()) && c.imageId() != null) {
                going.merge(c.imageId(), 1, Integer::sum);
            }
        }
        for (ImageInfo i : inv.images()) {
            if (!dangling(i)) {
                continue;
            }
            if (keep(i.labels())) {
                kept.add(new PrunePlan.Kept(Item.Kind.image, i.id(), RunLabels.KEEP + "=true"));
            } else if (i.containers() - going.getOrDefault(i.id(), 0) > 0) {
                kept.add(new PrunePlan.Kept(Item.Kind.image, i.id(), "used by " + (i.containers() - going.getOrDefault(i.id(), 0))
                        + " container(s)"));
            } else if (!i.created().isBefore(cutoff)) {
                kept.add(new PrunePlan.Kept(Item.Kind.image, i.id(), "newer than " + SettingFormats.formatDuration(until)));
            } else {
                images.add(new Item(Item.Kind.image, i.id(), "<none>", i.size(), i.created()));
            }
        }
        for (CacheInfo b : inv.buildCache()) {
            // "dangling" build cache: not in use and not shared with a tagged image's layers
            if (b.inUse() || b.shared()) {
                continue;
            }
            Instant age = b.lastUsed() != null ? b.lastUsed() : b.created();
            if (!age.isBefore(cutoff)) {
                kept.add(new PrunePlan.Kept(Item.Kind.buildCache, b.id(), "used within " + SettingFormats.formatDuration(until)));
            } else {
                cache.add(new Item(Item.Kind.buildCache, b.id(), b.type() + (b.description() == null ? "" : " " + b.description()),
                        b.size(), b.created()));
            }
        }
        Comparator<Item> oldestFirst = Comparator.comparing(Item::createdAt).thenComparing(Item::id);
        containers.sort(oldestFirst);
        images.sort(oldestFirst);
        cache.sort(oldestFirst);
        return new PrunePlan(cutoff, List.copyOf(containers), List.copyOf(images), List.copyOf(cache), List.copyOf(kept));
    }

    static boolean dangling(ImageInfo i) {
        return i.tags() == null || i.tags().isEmpty() || i.tags().stream().allMatch(t -> t.equals("<none>:<none>"));
    }

    static boolean keep(Map<String, String> labels) {
        return labels != null && "true".equalsIgnoreCase(labels.getOrDefault(RunLabels.KEEP, "").trim());
    }
}
