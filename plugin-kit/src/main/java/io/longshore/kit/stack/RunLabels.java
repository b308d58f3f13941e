package io.longshore.kit.stack;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The run model's labels (PRODUCT.md "The run model"). Every object deploy creates carries the
 * stack namespace (so {@code docker stack ls/ps/rm} keep working) and these; teardown, the janitor
 * and prune's live-run gate read them.
 */
public final class RunLabels {
    public static final String STACK_NAMESPACE = "com.docker.stack.namespace";
    public static final String STACK_IMAGE = "com.docker.stack.image";
    public static final String RUN = "io.longshore.run";
    public static final String CREATED = "io.longshore.created";
    public static final String EXPIRES = "io.longshore.expires";
    public static final String OWNER = "io.longshore.owner";
    /**
     * A warm app (deploy's warm mode): a long-lived stack, not a run. It has no expiry, the janitor
     * never reaps it, prune's live-run gate does not count it, and teardown removes it only when named.
     */
    public static final String WARM = "io.longshore.warm";
    /** Anything labelled {@code io.longshore.keep=true} is never pruned. */
    public static final String KEEP = "io.longshore.keep";

    /** The host lock's object (a config on a swarm manager, a network otherwise) carries these. */
    public static final String LOCK = "io.longshore.lock";
    public static final String LOCK_HOLDER = "io.longshore.lock.holder";
    public static final String LOCK_ACQUIRED = "io.longshore.lock.acquired";
    public static final String LOCK_EXPIRES = "io.longshore.lock.expires";
    /** Unique per acquisition: release removes the object only while it still carries our token. */
    public static final String LOCK_TOKEN = "io.longshore.lock.token";

    private RunLabels() {}

    /** The labels for an object of run {@code stack}, created now and reapable after {@code expires}. */
    public static Map<String, String> of(String stack, Instant created, Instant expires, String owner) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(STACK_NAMESPACE, stack);
        labels.put(RUN, stack);
        labels.put(CREATED, rfc3339(created));
        labels.put(EXPIRES, rfc3339(expires));
        if (owner != null && !owner.isBlank()) {
            labels.put(OWNER, owner);
        }
        return labels;
    }

    /** The labels for an object of warm app {@code stack}: its namespace and the warm label, never an expiry. */
    public static Map<String, String> warm(String stack, Instant created, String owner) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(STACK_NAMESPACE, stack);
        labels.put(WARM, stack);
        labels.put(CREATED, rfc3339(created));
        if (owner != null && !owner.isBlank()) {
            labels.put(OWNER, owner);
        }
        return labels;
    }

    /** RFC 3339 UTC, to the second: {@code 2026-11-21T17:40:00Z}. */
    public static String rfc3339(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
