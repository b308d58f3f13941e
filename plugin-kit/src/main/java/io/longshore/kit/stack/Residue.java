package io.longshore.kit.stack;

/**
 * One thing a teardown left, and why. {@code node} names the swarm node it is on when that is not
 * the connected engine; {@code kind} is null for a node that could not be asked at all.
 */
public record Residue(ObjectKind kind, String name, String id, String why, String node) {
    public Residue(ObjectKind kind, String name, String id, String why) {
        this(kind, name, id, why, null);
    }

    /** A node whose node-local objects could not be checked. */
    public static Residue unaskedNode(String node, String nodeId, String why) {
        return new Residue(null, node, nodeId, why, node);
    }

    @Override
    public String toString() {
        if (kind == null) {
            return why;
        }
        return kind.singular() + " " + name + (node == null ? "" : " on node " + node) + ": " + why;
    }
}
