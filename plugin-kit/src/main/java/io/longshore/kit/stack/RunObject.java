package io.longshore.kit.stack;

import java.util.Map;

/** One engine object as teardown sees it: kind, id, name and labels; nothing else is needed. */
public record RunObject(ObjectKind kind, String id, String name, Map<String, String> labels) {
    /** Containers that a swarm task runs carry this label; swarm removes them, not us. */
    public static final String SWARM_TASK_ID = "com.docker.swarm.task.id";
    public static final String SWARM_SERVICE_ID = "com.docker.swarm.service.id";
    public static final String SWARM_SERVICE_NAME = "com.docker.swarm.service.name";

    public RunObject {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    public String label(String key) {
        return labels.get(key);
    }

    /**
     * Whether this object belongs to run {@code stack}: it carries the run's namespace or run label,
     * or its name starts with {@code <stack>_} (recipes create external secrets named so, without
     * labels) and no label claims it for another run. A swarm task container belongs to the run of
     * its service.
     */
    public boolean belongsTo(String stack) {
        String namespace = label(RunLabels.STACK_NAMESPACE);
        String run = label(RunLabels.RUN);
        if (stack.equals(namespace) || stack.equals(run)) {
            return true;
        }
        if (namespace != null || run != null) {
            return false; // labelled for another run: `a_b` is not a run of stack `a`
        }
        String prefix = stack + "_";
        String serviceName = label(SWARM_SERVICE_NAME);
        return name.startsWith(prefix) || (serviceName != null && serviceName.startsWith(prefix));
    }

    /** Which rule made this object part of the run, for plans and reports. */
    public String matchedBy(String stack) {
        return stack.equals(label(RunLabels.RUN)) || stack.equals(label(RunLabels.STACK_NAMESPACE)) ? "label" : "prefix";
    }

    /** A container that swarm runs for a task (as opposed to one started directly). */
    public boolean isTaskContainer() {
        return kind == ObjectKind.CONTAINER && labels.containsKey(SWARM_TASK_ID);
    }

    @Override
    public String toString() {
        return kind.singular() + " " + name;
    }
}
