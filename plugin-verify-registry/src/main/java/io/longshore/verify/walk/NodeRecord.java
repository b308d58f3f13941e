package io.longshore.verify.walk;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** One row of the JSON report: every node, flat, with its path from the tag. */
public record NodeRecord(String path, String kind, String digest, String mediaType, Long size, Integer httpStatus,
                         String status, String finding, String findingKind, Boolean shared) {

    public static List<NodeRecord> flatten(List<Node> roots, String prefix) {
        List<NodeRecord> out = new ArrayList<>();
        for (Node r : roots) {
            add(r, prefix == null ? r.label() : prefix + "/" + r.label(), out);
        }
        return out;
    }

    private static void add(Node n, String path, List<NodeRecord> out) {
        out.add(new NodeRecord(path, n.kind().name().toLowerCase(Locale.ROOT), n.digest(), n.mediaType(),
                n.size() >= 0 ? n.size() : null, n.httpStatus() > 0 ? n.httpStatus() : null,
                n.status().name().toLowerCase(Locale.ROOT), n.finding() == null ? null : n.finding().message(),
                n.finding() == null ? null : n.finding().kind(), n.shared() ? Boolean.TRUE : null));
        for (Node c : n.children()) {
            add(c, path + " > " + c.label(), out);
        }
    }
}
