package io.longshore.verify.walk;

import java.util.List;

/**
 * One node of the walked tree: a tag, an index, a manifest, a config or a layer, with what the
 * registry answered and what (if anything) is wrong. {@code shared}: the same blob was already
 * checked elsewhere in this walk and the result is reused.
 */
public record Node(Kind kind, String label, String digest, String mediaType, long size, int httpStatus,
                   Finding finding, boolean shared, List<Node> children) {
    public enum Kind { TAG, INDEX, MANIFEST, CONFIG, LAYER, BLOB, REFERRERS, OTHER }

    public enum Status { OK, SKIPPED, BROKEN, UNREACHABLE }

    public Node {
        children = children == null ? List.of() : List.copyOf(children);
    }

    public Status status() {
        if (finding == null) {
            return Status.OK;
        }
        return switch (finding.severity()) {
            case INFO -> Status.SKIPPED;
            case BROKEN -> Status.BROKEN;
            case UNREACHABLE -> Status.UNREACHABLE;
        };
    }

    /** The worst status in this subtree. */
    public Status worst() {
        Status w = status();
        for (Node c : children) {
            Status s = c.worst();
            if (s.ordinal() > w.ordinal()) {
                w = s;
            }
        }
        return w;
    }

    public Node withLabel(String newLabel) {
        return new Node(kind, newLabel, digest, mediaType, size, httpStatus, finding, shared, children);
    }
}
