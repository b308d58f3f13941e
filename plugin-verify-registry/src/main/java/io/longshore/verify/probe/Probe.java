package io.longshore.verify.probe;

import io.longshore.kit.output.Events;
import io.longshore.verify.registry.RegistryClient;
import io.longshore.verify.registry.Reply;
import io.longshore.verify.walk.Node;
import io.longshore.verify.walk.Walker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Probe mode: list the catalog (following {@code Link} pages), keep the repositories the globs
 * select, list at most {@code maxTags} tags of each (stopping the listing there), and walk them.
 */
public final class Probe {
    static final int PAGE = 100;

    private final RegistryClient client;
    private final Walker walker;
    private final List<Glob> globs;
    private final int maxTags;
    private final Events events;

    public Probe(RegistryClient client, Walker walker, List<Glob> globs, int maxTags, Events events) {
        this.client = client;
        this.walker = walker;
        this.globs = globs;
        this.maxTags = maxTags;
        this.events = events;
    }

    public ProbeResult run(String registry) {
        Instant started = Instant.now();
        List<String> repositories = new ArrayList<>();
        String catalogProblem = null;
        String next = null;
        int listed = 0;
        do {
            Reply.PageReply page = client.catalog(PAGE, next);
            if (page instanceof Reply.Page p) {
                listed += p.items().size();
                p.items().stream().filter(r -> Glob.anyMatches(globs, r)).forEach(repositories::add);
                next = p.next();
            } else {
                catalogProblem = pageProblem(page, "the catalog");
                break;
            }
        } while (next != null);
        events.progress(listed + " repositories in the catalog, " + repositories.size() + " selected"
                + (catalogProblem != null ? "; " + catalogProblem : ""));

        List<ProbeResult.RepositoryResult> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<ProbeResult.RepositoryResult>> futures = new ArrayList<>();
            for (String repo : repositories) {
                futures.add(CompletableFuture.supplyAsync(() -> repository(repo), pool));
            }
            for (CompletableFuture<ProbeResult.RepositoryResult> f : futures) {
                ProbeResult.RepositoryResult r = f.join();
                events.progress(r.repository() + ": " + r.tags().size() + " of " + r.tagsTotal() + "+ tags walked, "
                        + r.brokenTags() + " broken" + (r.listProblem() != null ? " (" + r.listProblem() + ")" : ""));
                results.add(r);
            }
        }
        Instant finished = Instant.now();
        return new ProbeResult(registry, finished, Duration.between(started, finished), catalogProblem == null, catalogProblem, results);
    }

    private ProbeResult.RepositoryResult repository(String repo) {
        List<String> tags = new ArrayList<>();
        String next = null;
        String problem = null;
        do {
            Reply.PageReply page = client.tags(repo, Math.min(PAGE, Math.max(maxTags, 1)), next);
            if (page instanceof Reply.Page p) {
                tags.addAll(p.items());
                next = p.next();
            } else {
                problem = pageProblem(page, "the tag list");
                break;
            }
        } while (next != null && tags.size() < maxTags);
        int total = tags.size();
        List<String> chosen = tags.subList(0, Math.min(maxTags, tags.size()));
        List<CompletableFuture<Node>> walks = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String tag : chosen) {
                walks.add(CompletableFuture.supplyAsync(() -> walker.walkTag(repo, tag, null), pool));
            }
        }
        List<Node> nodes = walks.stream().map(CompletableFuture::join).map(n -> n.withLabel(repo + ":" + n.label())).toList();
        return new ProbeResult.RepositoryResult(repo, total, nodes, problem);
    }

    private static String pageProblem(Reply.PageReply page, String what) {
        return switch (page) {
            case Reply.PageStatus s -> what + " answered " + (s.status() == 0 ? s.message() : s.message());
            case Reply.PageFailed f -> what + " did not answer: " + f.failure().reason();
            case Reply.Page p -> null;
        };
    }
}
