package io.longshore.verify.walk;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Counts over walked trees: distinct indexes, manifests and blobs, shared blobs, findings by weight. */
public record Tally(int tags, int indexes, int manifests, int blobs, int shared, int skipped, int broken, int unreachable) {

    public static Tally of(List<Node> roots) {
        Set<String> indexes = new HashSet<>();
        Set<String> manifests = new HashSet<>();
        Map<String, Integer> blobRefs = new HashMap<>();
        int[] counts = new int[3];
        for (Node root : roots) {
            visit(root, indexes, manifests, blobRefs, counts);
        }
        int shared = (int) blobRefs.values().stream().filter(n -> n > 1).count();
        return new Tally(roots.size(), indexes.size(), manifests.size(), blobRefs.size(), shared, counts[0], counts[1], counts[2]);
    }

    private static void visit(Node n, Set<String> indexes, Set<String> manifests, Map<String, Integer> blobRefs, int[] counts) {
        boolean fetched = n.status() != Node.Status.SKIPPED && n.digest() != null;
        switch (n.kind()) {
            case INDEX -> {
                if (fetched) {
                    indexes.add(n.digest());
                }
            }
            case MANIFEST -> {
                if (fetched) {
                    manifests.add(n.digest());
                }
            }
            case CONFIG, LAYER, BLOB -> {
                if (fetched) {
                    blobRefs.merge(n.digest(), 1, Integer::sum);
                }
            }
            default -> { }
        }
        switch (n.status()) {
            case SKIPPED -> counts[0]++;
            case BROKEN -> counts[1]++;
            case UNREACHABLE -> counts[2]++;
            case OK -> { }
        }
        for (Node c : n.children()) {
            visit(c, indexes, manifests, blobRefs, counts);
        }
    }

    public Node.Status worst() {
        return unreachable > 0 ? Node.Status.UNREACHABLE : broken > 0 ? Node.Status.BROKEN : Node.Status.OK;
    }

    /** "3 tags, 2 indexes, 9 manifests, 41 blobs (17 shared)". */
    public String counts() {
        return plural(tags, "tag") + ", " + plural(indexes, "index", "indexes") + ", " + plural(manifests, "manifest") + ", "
                + plural(blobs, "blob") + " (" + shared + " shared)" + (skipped > 0 ? ", " + skipped + " skipped" : "");
    }

    public static String plural(int n, String one) {
        return plural(n, one, one + "s");
    }

    public static String plural(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }
}
