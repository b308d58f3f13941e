package io.longshore.prune.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.longshore.prune.plan.Inventory.CacheInfo;
import io.longshore.prune.plan.Inventory.ContainerInfo;
import io.longshore.prune.plan.Inventory.ImageInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrunePlannerTest {
    static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    static final Instant OLD = NOW.minus(Duration.ofDays(3));
    static final Instant NEW = NOW.minus(Duration.ofHours(1));

    static ContainerInfo container(String id, String state, Instant created, Map<String, String> labels) {
        return new ContainerInfo(id, "c-" + id, "img-" + id, state, created, 100, labels);
    }

    static ImageInfo image(String id, List<String> tags, Instant created, int containers, Map<String, String> labels) {
        return new ImageInfo(id, tags, created, 1000, containers, labels);
    }

    static List<String> ids(List<Item> items) {
        return items.stream().map(Item::id).toList();
    }

    @Test
    void removesOnlyStoppedContainersOlderThanUntil() {
        Inventory inv = new Inventory(List.of(
                container("old-exited", "exited", OLD, Map.of()),
                container("old-created", "created", OLD, Map.of()),
                container("old-dead", "dead", OLD, Map.of()),
                container("old-running", "running", OLD, Map.of()),
                container("old-paused", "paused", OLD, Map.of()),
                container("new-exited", "exited", NEW, Map.of())), List.of(), List.of());
        PrunePlan plan = PrunePlanner.plan(inv, NOW, Duration.ofHours(24));
        assertEquals(List.of("old-created", "old-dead", "old-exited"), ids(plan.containers()).stream().sorted().toList());
        assertTrue(plan.kept().stream().anyMatch(k -> k.id().equals("new-exited") && k.why().equals("newer than 24h")), plan.kept().toString());
    }

    @Test
    void neverPlansATaggedImageOrOneInUse() {
        Inventory inv = new Inventory(List.of(), List.of(
                image("tagged", List.of("app:1"), OLD, 0, Map.of()),
                image("dangling", List.of(), OLD, 0, Map.of()),
                image("dangling-none", List.of("<none>:<none>"), OLD, 0, Map.of()),
                image("dangling-used", List.of(), OLD, 2, Map.of()),
                image("dangling-new", List.of(), NEW, 0, Map.of())), List.of());
        PrunePlan plan = PrunePlanner.plan(inv, NOW, Duration.ofHours(24));
        assertEquals(List.of("dangling", "dangling-none"), ids(plan.images()).stream().sorted().toList());
        assertTrue(plan.kept().stream().anyMatch(k -> k.id().equals("dangling-used") && k.why().contains("used by 2")));
    }

    @Test
    void anImageUsedOnlyByPlannedContainersIsPlannedToo() {
        Inventory inv = new Inventory(List.of(
                new ContainerInfo("gone", "c", "img-a", "exited", OLD, 0, Map.of()),
                new ContainerInfo("runs", "c", "img-b", "running", OLD, 0, Map.of())), List.of(
                image("img-a", List.of(), OLD, 1, Map.of()),
                image("img-b", List.of(), OLD, 1, Map.of())), List.of());
        PrunePlan plan = PrunePlanner.plan(inv, NOW, Duration.ofHours(24));
        assertEquals(List.of("img-a"), ids(plan.images()));
    }

    @Test
    void keepsAnythingLabelledKeep() {
        Map<String, String> keep = Map.of("io.longshore.keep", "true");
        Inventory inv = new Inventory(List.of(container("kept", "exited", OLD, keep)),
                List.of(image("kept-image", List.of(), OLD, 0, keep)), List.of());
        PrunePlan plan = PrunePlanner.plan(inv, NOW, Duration.ofHours(24));
        assertTrue(plan.isEmpty());
        assertEquals(2, plan.kept().size());
    }

    @Test
    void prunesOnlyUnusedUnsharedBuildCacheNotUsedWithinUntil() {
        Inventory inv = new Inventory(List.of(), List.of(), List.of(
                new CacheInfo("old", "regular", "RUN x", false, false, 500, OLD, OLD),
                new CacheInfo("recently-used", "regular", null, false, false, 500, OLD, NEW),
                new CacheInfo("in-use", "regular", null, true, false, 500, OLD, OLD),
                new CacheInfo("shared", "regular", null, false, true, 500, OLD, null)));
        PrunePlan plan = PrunePlanner.plan(inv, NOW, Duration.ofHours(24));
        assertEquals(List.of("old"), ids(plan.buildCache()));
        assertEquals(500, plan.bytes());
    }
}
