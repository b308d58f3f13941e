package io.longshore.prune.act;

import io.longshore.kit.engine.Engine;
import io.longshore.kit.engine.EngineApiException;
import io.longshore.kit.output.Events;
import io.longshore.prune.plan.Item;
import io.longshore.prune.plan.PrunePlan;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Removes exactly the plan's items — never re-lists, so a real run cannot remove more than
 * {@code dry_run} showed. Containers go without their volumes ({@code v=false}), images without
 * force; build cache records by id. Removals run concurrently on virtual threads, bounded.
 */
public final class PruneExecutor {
    public static final int CONCURRENCY = 8;

    public record Failure(Item item, String why) {}

    public record Skipped(Item item, String why) {}

    public record Result(List<Item> removed, List<Skipped> skipped, List<Failure> failures) {
        public long bytes() {
            return removed.stream().mapToLong(Item::sizeBytes).sum();
        }
    }

    private final Engine engine;
    private final Events events;

    public PruneExecutor(Engine engine, Events events) {
        this.engine = engine;
        this.events = events;
    }

    public Result execute(PrunePlan plan) throws InterruptedException {
        List<Item> removed = Collections.synchronizedList(new ArrayList<>());
        List<Skipped> skipped = Collections.synchronizedList(new ArrayList<>());
        List<Failure> failures = Collections.synchronizedList(new ArrayList<>());
        // Containers first: an image is only dangling garbage once no container uses it.
        for (List<Item> batch : List.of(plan.containers(), plan.images())) {
            removeAll(batch, removed, skipped, failures);
        }
        if (!plan.buildCache().isEmpty()) {
            pruneCache(plan.buildCache(), removed, failures);
        }
        return new Result(List.copyOf(removed), List.copyOf(skipped), List.copyOf(failures));
    }

    private void removeAll(List<Item> items, List<Item> removed, List<Skipped> skipped, List<Failure> failures)
            throws InterruptedException {
        if (items.isEmpty()) {
            return;
        }
        Semaphore permits = new Semaphore(CONCURRENCY);
        AtomicInteger done = new AtomicInteger();
        int total = items.size();
        int every = Math.max(1, total / 10);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Item item : items) {
                permits.acquire();
                pool.submit(() -> {
                    try {
                        remove(item);
                        removed.add(item);
                    } catch (EngineApiException e) {
                        if (e.status() == 404) {
                            skipped.add(new Skipped(item, "already gone"));
                        } else if (e.status() == 409) {
                            skipped.add(new Skipped(item, "in use now: " + e.getMessage()));
                        } else {
                            failures.add(new Failure(item, e.getMessage()));
                        }
                    } catch (RuntimeException e) {
                        failures.add(new Failure(item, e.getMessage()));
                    } finally {
                        permits.release();
                        int n = done.incrementAndGet();
                        if (n % every == 0 || n == total) {
                            events.progress(item.kind().plural() + ": " + n + "/" + total);
                        }
                    }
                });
            }
        }
    }

    private void remove(Item item) {
        switch (item.kind()) {
            case container -> engine.delete("/containers/" + item.id() + "?v=false&force=false");
            case image -> engine.delete("/images/" + item.id() + "?force=false&noprune=false");
            case buildCache -> throw new IllegalStateException("build cache is pruned by id in one call");
        }
    }

    private void pruneCache(List<Item> cache, List<Item> removed, List<Failure> failures) {
        StringBuilder ids = new StringBuilder();
        for (Item i : cache) {
            ids.append(ids.isEmpty() ? "" : ",").append('"').append(i.id()).append('"');
        }
        String filters = URLEncoder.encode("{\"id\":[" + ids + "]}", StandardCharsets.UTF_8);
        try {
            var answer = engine.post("/build/prune?all=true&filters=" + filters, null);
            List<String> deleted = new ArrayList<>();
            answer.path("CachesDeleted").forEach(d -> deleted.add(d.asText()));
            for (Item i : cache) {
                if (deleted.contains(i.id())) {
                    removed.add(i);
                }
            }
            events.progress("build cache: " + deleted.size() + "/" + cache.size() + " records removed");
        } catch (RuntimeException e) {
            cache.forEach(i -> failures.add(new Failure(i, e.getMessage())));
        }
    }
}
