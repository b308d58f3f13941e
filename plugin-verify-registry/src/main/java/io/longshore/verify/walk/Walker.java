package io.longshore.verify.walk;

import io.longshore.verify.model.Descriptor;
import io.longshore.verify.model.Digest;
import io.longshore.verify.model.Document;
import io.longshore.verify.model.Index;
import io.longshore.verify.model.ManifestParser;
import io.longshore.verify.model.MediaTypes;
import io.longshore.verify.registry.RegistryClient;
import io.longshore.verify.registry.Reply;
import io.longshore.verify.registry.Reply.BlobFailed;
import io.longshore.verify.registry.Reply.BlobHead;
import io.longshore.verify.registry.Reply.BlobRead;
import io.longshore.verify.registry.Reply.BlobReply;
import io.longshore.verify.registry.Reply.ManifestBody;
import io.longshore.verify.registry.Reply.ManifestFailed;
import io.longshore.verify.registry.Reply.ManifestReply;
import io.longshore.verify.registry.Reply.ManifestStatus;
import io.longshore.verify.registry.Reply.ManifestTooLarge;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Walks what a tag points at — index, children, configs, layers, referrers — and checks each
 * node against its descriptor. Fan-out runs on virtual threads; a semaphore keeps at most
 * {@code concurrency} requests in flight on the one client. The same manifest or blob (per
 * repository) is fetched once per walk, however many places reference it.
 */
public final class Walker implements AutoCloseable {
    private final RegistryClient client;
    private final WalkOptions options;
    private final Semaphore permits;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, CompletableFuture<Node>> manifests = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<BlobReply>> blobs = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();

    public Walker(RegistryClient client, WalkOptions options) {
        this.client = client;
        this.options = options;
        this.permits = new Semaphore(options.concurrency());
    }

    /** Requests answered so far (for progress lines). */
    public int requests() {
        return requests.get();
    }

    /** Resolves a tag and walks what it points at; with {@code expected}, the tag must resolve to exactly it. */
    public Node walkTag(String repo, String tag, Digest expected) {
        ManifestReply reply = bounded(() -> client.manifest(repo, tag));
        String expectedText = expected == null ? null : expected.toString();
        if (!(reply instanceof ManifestBody body)) {
            Node failed = failedManifest(reply, expectedText, "tag " + tag);
            return new Node(Node.Kind.TAG, tag, failed.digest(), null, -1, failed.httpStatus(), failed.finding(), false, List.of());
        }
        Digest actual = expected != null ? expected.recompute(body.body()) : Digest.sha256(body.body());
        if (expected != null && !actual.equals(expected)) {
            return new Node(Node.Kind.TAG, tag, expectedText, MediaTypes.essence(body.contentType()), body.body().length, body.status(),
                    new Finding.Mismatch(expectedText, "tag " + tag + " resolves to " + actual + ", not the pushed " + expected
                            + " (the tag moved, or the push did not land)"), false, List.of());
        }
        String key = repo + "@" + actual;
        Node node = fromBody(repo, tag, actual, body, Set.of(actual.toString()));
        manifests.putIfAbsent(key, CompletableFuture.completedFuture(node));
        return node;
    }

    private Node fromBody(String repo, String label, Digest digest, ManifestBody reply, Set<String> ancestors) {
        byte[] bytes = reply.body();
        String served = MediaTypes.essence(reply.contentType());
        List<Finding> findings = new ArrayList<>();
        String dcd = reply.dockerContentDigest();
        if (dcd != null && !dcd.isBlank()) {
            Digest.tryParse(dcd.trim()).filter(Digest::verifiable).ifPresent(header -> {
                Digest ours = header.recompute(bytes);
                if (!ours.equals(header)) {
                    findings.add(new Finding.Mismatch(digest.toString(),
                            "Docker-Content-Digest says " + header + " but the body hashes to " + ours));
                }
            });
        }
        Document doc = ManifestParser.parse(bytes, reply.contentType());
        String mediaType = switch (doc) {
            case Document.OfIndex i -> i.index().mediaType();
            case Document.OfManifest m -> m.manifest().mediaType();
            case Document.Schema1 s -> s.mediaType();
            case Document.Invalid x -> served;
        };
        Node.Kind kind = doc instanceof Document.OfIndex ? Node.Kind.INDEX : Node.Kind.MANIFEST;
        List<CompletableFuture<Node>> children = new ArrayList<>();
        switch (doc) {
            case Document.Schema1 s -> findings.add(new Finding.Unsupported(digest.toString(),
                    "Docker schema 1 manifest: unsupported and deprecated; push the image again with current tooling"));
            case Document.Invalid x -> findings.add(new Finding.Malformed(digest.toString(), "not a valid manifest: " + x.reason()));
            case Document.OfIndex i -> {
                for (Step step : Planner.plan(i.index(), digest.toString(), options)) {
                    children.add(run(repo, step, ancestors));
                }
            }
            case Document.OfManifest m -> {
                for (Step step : Planner.plan(m.manifest(), digest.toString())) {
                    children.add(run(repo, step, ancestors));
                }
            }
        }
        if (options.referrers() && (doc instanceof Document.OfIndex || doc instanceof Document.OfManifest)) {
            children.add(CompletableFuture.supplyAsync(() -> referrers(repo, digest, ancestors), executor));
        }
        List<Node> done = new ArrayList<>();
        for (CompletableFuture<Node> f : children) {
            Node n = f.join();
            if (n != null) {
                done.add(n);
            }
        }
        Finding finding = findings.isEmpty() ? null : findings.get(0);
        return new Node(kind, label, digest.toString(), mediaType, bytes.length, reply.status(), finding, false, done);
    }

    private CompletableFuture<Node> run(String repo, Step step, Set<String> ancestors) {
        return switch (step) {
            case Step.Skip s -> CompletableFuture.completedFuture(new Node(kindOf(s.descriptor()), s.label(), s.descriptor().digest(),
                    s.descriptor().mediaType(), s.descriptor().size(), 0, s.finding(), false, List.of()));
            case Step.WalkManifest w -> CompletableFuture.supplyAsync(() -> child(repo, w, ancestors), executor);
            case Step.CheckBlob b -> blob(repo, b);
        };
    }

    private static Node.Kind kindOf(Descriptor d) {
        if (MediaTypes.isIndex(d.mediaType())) {
            return Node.Kind.INDEX;
        }
        return MediaTypes.isImageManifest(d.mediaType()) ? Node.Kind.MANIFEST : Node.Kind.OTHER;
    }

    private Node child(String repo, Step.WalkManifest step, Set<String> ancestors) {
        Descriptor d = step.descriptor();
        Digest digest = d.parsedDigest();
        if (ancestors.contains(digest.toString())) {
            return new Node(kindOf(d), step.label(), d.digest(), d.mediaType(), d.size(), 0,
                    new Finding.Malformed(d.digest(), "a cycle: this manifest is its own ancestor"), false, List.of());
        }
        Set<String> path = new HashSet<>(ancestors);
        path.add(digest.toString());
        Set<String> frozen = Set.copyOf(path);
        CompletableFuture<Node> f = manifests.computeIfAbsent(repo + "@" + digest,
                k -> CompletableFuture.supplyAsync(() -> fetchManifest(repo, digest, d, step.label(), frozen), executor));
        return referenceChecked(f.join().withLabel(step.label()), d);
    }

    /**
     * What depends on the reference rather than the content: the size and media type this
     * descriptor claims. Kept out of the memoised node, which other references share.
     */
    static Node referenceChecked(Node n, Descriptor d) {
        if (n.finding() != null || n.httpStatus() != 200) {
            return n;
        }
        Finding f = null;
        if (n.size() != d.size()) {
            f = new Finding.Mismatch(d.digest(), "the manifest is " + n.size() + " bytes, its descriptor says " + d.size());
        } else if (MediaTypes.isManifest(d.mediaType()) && MediaTypes.isManifest(n.mediaType()) && !d.mediaType().equals(n.mediaType())) {
            f = new Finding.Mismatch(d.digest(), "listed as " + d.mediaType() + " but is " + n.mediaType());
        }
        return f == null ? n : new Node(n.kind(), n.label(), n.digest(), n.mediaType(), n.size(), n.httpStatus(), f, n.shared(), n.children());
    }

    private Node fetchManifest(String repo, Digest digest, Descriptor d, String label, Set<String> ancestors) {
        ManifestReply reply = bounded(() -> client.manifest(repo, digest.toString()));
        if (reply instanceof ManifestBody body) {
            Digest actual = digest.recompute(body.body());
            if (!actual.equals(digest)) {
                // Say what the bytes are when they are not a manifest at all: an HTML page is a proxy's, not a corruption.
                String what = ManifestParser.parse(body.body(), body.contentType()) instanceof Document.Invalid(String reason)
                        ? reason + ", hashing to " + actual : "content that hashes to " + actual;
                return new Node(kindOf(d), label, digest.toString(), MediaTypes.essence(body.contentType()), body.body().length,
                        body.status(), new Finding.Mismatch(digest.toString(), "the registry served " + what),
                        false, List.of());
            }
            return fromBody(repo, label, digest, body, ancestors);
        }
        Node failed = failedManifest(reply, digest.toString(), "manifest");
        return new Node(kindOf(d), label, digest.toString(), d.mediaType(), d.size(), failed.httpStatus(), failed.finding(), false, List.of());
    }

    /** A manifest request that did not bring a body: which finding that is. */
    private static Node failedManifest(ManifestReply reply, String digest, String what) {
        Finding f;
        int status = 0;
        switch (reply) {
            case ManifestStatus s -> {
                status = s.status();
                f = switch (s.status()) {
                    case 404 -> new Finding.Missing(digest, what + " not found (404)");
                    case 401, 403 -> new Finding.Denied(digest, what + ": access refused (" + s.status() + ")");
                    case 429, 502, 503, 504 -> new Finding.NoAnswer(digest, what + ": " + s.message() + " after retries: the registry is overloaded or down");
                    default -> new Finding.Unreadable(digest, what + ": " + s.message());
                };
            }
            case ManifestTooLarge t -> f = new Finding.Malformed(digest, what + " is " + t.bytes() + " bytes, over the 4 MiB limit; not read");
            case ManifestFailed(Reply.Failure failure) -> f = failure.unreachable()
                    ? new Finding.NoAnswer(digest, what + ": " + failure.reason())
                    : new Finding.Unreadable(digest, what + ": " + failure.reason());
            case ManifestBody b -> throw new IllegalStateException("a body is not a failure");
        }
        return new Node(Node.Kind.MANIFEST, what, digest, null, -1, status, f, false, List.of());
    }

    private CompletableFuture<Node> blob(String repo, Step.CheckBlob step) {
        Descriptor d = step.descriptor();
        Digest digest = d.parsedDigest();
        boolean[] first = {false};
        CompletableFuture<BlobReply> f = blobs.computeIfAbsent(repo + "@" + digest, k -> {
            first[0] = true;
            return CompletableFuture.supplyAsync(
                    () -> bounded(() -> options.deep() ? client.read(repo, digest) : client.head(repo, digest)), executor);
        });
        boolean shared = !first[0];
        return f.thenApply(reply -> blobNode(step, digest, reply, shared));
    }

    static Node blobNode(Step.CheckBlob step, Digest digest, BlobReply reply, boolean shared) {
        Descriptor d = step.descriptor();
        String dg = digest.toString();
        int status = 0;
        Finding finding = null;
        switch (reply) {
            case BlobHead h -> {
                status = h.status();
                finding = statusFinding(dg, step.kind(), h.status());
                if (finding == null) {
                    if (h.contentLength() < 0) {
                        finding = new Finding.Unreadable(dg, "HEAD gave no Content-Length");
                    } else if (h.contentLength() != d.size()) {
                        finding = new Finding.Mismatch(dg, "the registry reports " + h.contentLength() + " bytes, the manifest says " + d.size());
                    } else if (h.dockerContentDigest() != null && !h.dockerContentDigest().isBlank()
                            && !h.dockerContentDigest().trim().equals(dg)) {
                        finding = new Finding.Mismatch(dg, "the registry's Docker-Content-Digest is " + h.dockerContentDigest().trim());
                    }
                }
            }
            case BlobRead r -> {
                status = r.status();
                finding = statusFinding(dg, step.kind(), r.status());
                if (finding == null) {
                    if (r.bytesRead() != d.size()) {
                        finding = new Finding.Mismatch(dg, "the registry served " + r.bytesRead() + " of " + d.size() + " bytes"
                                + (r.error() != null ? " before the stream broke (" + r.error() + ")" : "")
                                + (r.bytesRead() < d.size() ? "; the blob's data is gone or cut short" : ""));
                    } else if (!r.computed().equals(digest)) {
                        finding = new Finding.Mismatch(dg, "the content hashes to " + r.computed() + ": corrupted in storage");
                    } else if (r.error() != null) {
                        finding = new Finding.Unreadable(dg, "the stream broke after all bytes: " + r.error());
                    }
                }
            }
            case BlobFailed(Reply.Failure failure) -> finding = failure.unreachable()
                    ? new Finding.NoAnswer(dg, failure.reason()) : new Finding.Unreadable(dg, failure.reason());
        }
        return new Node(step.kind(), step.label(), dg, d.mediaType(), d.size(), status, finding, shared, List.of());
    }

    private static Finding statusFinding(String digest, Node.Kind kind, int status) {
        String what = kind.name().toLowerCase(java.util.Locale.ROOT);
        return switch (status) {
            case 200 -> null;
            case 404 -> new Finding.Missing(digest, what + " blob not found (404)");
            case 401, 403 -> new Finding.Denied(digest, what + " blob: access refused (" + status + ")");
            case 429, 502, 503, 504 -> new Finding.NoAnswer(digest, what + " blob: HTTP " + status + " after retries: the registry is overloaded or down");
            default -> new Finding.Unreadable(digest, what + " blob: HTTP " + status);
        };
    }

    /** Referrers API first; a registry without it (404) is asked for the sha256-&lt;hex&gt; tag instead. */
    private Node referrers(String repo, Digest subject, Set<String> ancestors) {
        ManifestReply reply = bounded(() -> client.referrers(repo, subject));
        String source = "referrers API";
        if (reply instanceof ManifestStatus s && s.status() != 401 && s.status() != 403) {
            reply = bounded(() -> client.manifest(repo, subject.referrersTag()));
            source = "tag " + subject.referrersTag();
            if (reply instanceof ManifestStatus t && t.status() == 404) {
                return null;
            }
        }
        if (!(reply instanceof ManifestBody body)) {
            Node failed = failedManifest(reply, subject.toString(), "referrers (" + source + ")");
            return new Node(Node.Kind.REFERRERS, "referrers", subject.toString(), null, -1, failed.httpStatus(), failed.finding(), false, List.of());
        }
        Document doc = ManifestParser.parse(body.body(), body.contentType());
        if (!(doc instanceof Document.OfIndex(Index index))) {
            String why = doc instanceof Document.Invalid(String reason) ? reason : "not an index";
            return new Node(Node.Kind.REFERRERS, "referrers", subject.toString(), MediaTypes.essence(body.contentType()), body.body().length,
                    body.status(), new Finding.Malformed(subject.toString(), "the " + source + " answer is " + why), false, List.of());
        }
        if (index.manifests().isEmpty()) {
            return null;
        }
        List<CompletableFuture<Node>> children = new ArrayList<>();
        for (Step step : Planner.plan(index, subject.toString(), new WalkOptions(options.deep(), List.of(), true, options.concurrency()))) {
            Step labelled = step instanceof Step.WalkManifest w
                    ? new Step.WalkManifest(w.descriptor(), "referrer" + (w.descriptor().artifactType() != null ? " " + w.descriptor().artifactType() : ""))
                    : step;
            children.add(run(repo, labelled, ancestors));
        }
        List<Node> done = children.stream().map(CompletableFuture::join).toList();
        return new Node(Node.Kind.REFERRERS, "referrers (" + source + ")", subject.toString(), index.mediaType(), body.body().length,
                body.status(), null, false, done);
    }

    private <T> T bounded(Supplier<T> request) {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        try {
            return request.get();
        } finally {
            permits.release();
            requests.incrementAndGet();
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
