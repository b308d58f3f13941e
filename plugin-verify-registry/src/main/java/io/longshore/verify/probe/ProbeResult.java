package io.longshore.verify.probe;

import io.longshore.verify.walk.Node;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** What one probe run found: per repository, the tags walked and how many are broken. */
public record ProbeResult(String registry, Instant finishedAt, Duration took, boolean catalogAccessible, String catalogProblem,
                          List<RepositoryResult> repositories) {
    public record RepositoryResult(String repository, int tagsTotal, List<Node> tags, String listProblem) {
        public int brokenTags() {
            return (int) tags.stream().filter(t -> t.worst() == Node.Status.BROKEN).count()
                    + (listProblem == null ? 0 : 1);
        }
    }

    public int tagsChecked() {
        return repositories.stream().mapToInt(r -> r.tags().size()).sum();
    }

    public int brokenTags() {
        return repositories.stream().mapToInt(RepositoryResult::brokenTags).sum();
    }

    /** Distinct blobs (per repository) that are missing, truncated or corrupt. */
    public int missingBlobs() {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (RepositoryResult r : repositories) {
            for (Node t : r.tags()) {
                collect(r.repository(), t, seen);
            }
        }
        return seen.size();
    }

    private static void collect(String repo, Node n, java.util.Set<String> seen) {
        if ((n.kind() == Node.Kind.LAYER || n.kind() == Node.Kind.CONFIG || n.kind() == Node.Kind.BLOB)
                && n.status() == Node.Status.BROKEN) {
            seen.add(repo + "@" + n.digest());
        }
        n.children().forEach(c -> collect(repo, c, seen));
    }

    public boolean success() {
        return catalogAccessible && brokenTags() == 0
                && repositories.stream().flatMap(r -> r.tags().stream()).noneMatch(t -> t.worst() == Node.Status.UNREACHABLE);
    }
}
