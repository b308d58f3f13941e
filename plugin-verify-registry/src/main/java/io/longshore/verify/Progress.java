package io.longshore.verify;

import io.longshore.kit.output.Events;
import io.longshore.verify.walk.Node;
import io.longshore.verify.walk.Walker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits for walks to finish, with a progress line every few seconds so a long walk is not silent. */
final class Progress {
    private static final long EVERY_MS = 5000;

    private Progress() {}

    static List<Node> await(List<CompletableFuture<Node>> futures, Walker walker, Events events) {
        CompletableFuture<Void> all = CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new));
        while (true) {
            try {
                all.get(EVERY_MS, TimeUnit.MILLISECONDS);
                break;
            } catch (TimeoutException e) {
                long done = futures.stream().filter(CompletableFuture::isDone).count();
                events.progress(done + " of " + futures.size() + " tags walked, " + walker.requests() + " requests answered");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while walking", e);
            } catch (ExecutionException e) {
                break;
            }
        }
        List<Node> roots = new ArrayList<>();
        for (CompletableFuture<Node> f : futures) {
            roots.add(f.join());
        }
        return roots;
    }
}
