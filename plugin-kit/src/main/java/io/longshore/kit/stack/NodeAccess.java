package io.longshore.kit.stack;

import io.longshore.kit.engine.model.Node;
import java.util.ArrayList;
import java.util.List;

/**
 * How a teardown asks one swarm node about its node-local objects (volumes, containers): the node
 * the plugin is connected to directly, every other node through a short helper job that runs on it
 * with its Docker socket, and a node that takes no task (down, drained, paused) not at all. Pure:
 * computed from the node list, so tests and {@code dry_run} read it without an engine.
 */
public sealed interface NodeAccess {
    Node node();

    /** The engine the plugin talks to: asked directly. */
    record Local(Node node) implements NodeAccess {}

    /** Asked by a helper job placed on it, with the node's Docker socket mounted. */
    record ByHelper(Node node) implements NodeAccess {
        public String socket() {
            return node.dockerSocket();
        }
    }

    /** Cannot be asked: whatever the run left there stays unverified. */
    record Unreachable(Node node, String why) implements NodeAccess {}

    /**
     * Every node of the swarm, asked how. {@code localId} is the connected engine's node id; an
     * engine outside a swarm is one node, asked directly.
     */
    static List<NodeAccess> of(List<Node> nodes, String localId) {
        List<NodeAccess> out = new ArrayList<>();
        for (Node n : nodes) {
            if (n.id().equals(localId)) {
                out.add(new Local(n));
                continue;
            }
            out.add(n.whyNoTasks().<NodeAccess>map(why -> new Unreachable(n, "node " + n.displayName() + " " + why
                            + ": its volumes and containers of the run could not be removed or verified"))
                    .orElseGet(() -> new ByHelper(n)));
        }
        return List.copyOf(out);
    }

    /** The nodes that are not the connected engine and can be asked. */
    static List<ByHelper> helped(List<NodeAccess> access) {
        return access.stream().filter(a -> a instanceof ByHelper).map(a -> (ByHelper) a).toList();
    }
}
