package io.longshore.kit.stack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a teardown of one run will remove, step by step, computed from what the engine lists and
 * nothing else (pure: tests build it from fixtures, {@code dry_run} prints it). Task containers are
 * not removed by us: swarm removes them once their service is gone; we wait for that.
 */
public record TeardownPlan(String stack, RunObjects objects) {

    /** The steps of a teardown, in the order they run. */
    public enum Step {
        REMOVE_SERVICES("remove services"),
        AWAIT_TASKS("wait for tasks and containers to go"),
        REMOVE_SECRETS_AND_CONFIGS("remove secrets and configs"),
        REMOVE_NETWORKS("remove networks"),
        REMOVE_VOLUMES("remove volumes"),
        VERIFY("verify");

        private final String title;

        Step(String title) {
            this.title = title;
        }

        public String title() {
            return title;
        }
    }

    public static TeardownPlan of(RunObjects objects) {
        return new TeardownPlan(objects.stack(), objects);
    }

    public boolean isEmpty() {
        return objects.isEmpty();
    }

    public List<RunObject> services() {
        return objects.of(ObjectKind.SERVICE);
    }

    /** Containers started directly for the run (not by a swarm task): removed with the services. */
    public List<RunObject> standaloneContainers() {
        return objects.of(ObjectKind.CONTAINER).stream().filter(c -> !c.isTaskContainer()).toList();
    }

    /** Containers of the run's swarm tasks: swarm removes them; teardown waits until they are gone. */
    public List<RunObject> taskContainers() {
        return objects.of(ObjectKind.CONTAINER).stream().filter(RunObject::isTaskContainer).toList();
    }

    public List<RunObject> secretsAndConfigs() {
        List<RunObject> l = new ArrayList<>(objects.of(ObjectKind.SECRET));
        l.addAll(objects.of(ObjectKind.CONFIG));
        return l;
    }

    public List<RunObject> networks() {
        return objects.of(ObjectKind.NETWORK);
    }

    public List<RunObject> volumes() {
        return objects.of(ObjectKind.VOLUME);
    }

    /** What each step acts on. */
    public Map<Step, List<RunObject>> steps() {
        Map<Step, List<RunObject>> m = new LinkedHashMap<>();
        List<RunObject> first = new ArrayList<>(services());
        first.addAll(standaloneContainers());
        m.put(Step.REMOVE_SERVICES, first);
        m.put(Step.AWAIT_TASKS, taskContainers());
        m.put(Step.REMOVE_SECRETS_AND_CONFIGS, secretsAndConfigs());
        m.put(Step.REMOVE_NETWORKS, networks());
        m.put(Step.REMOVE_VOLUMES, volumes());
        m.put(Step.VERIFY, List.of());
        return m;
    }

    /** The plan as lines a user reads: every object that would go, by kind, and why it is part of the run. */
    public List<String> lines() {
        if (isEmpty()) {
            return List.of("nothing of run " + stack + " is left on the engine");
        }
        List<String> lines = new ArrayList<>();
        for (ObjectKind kind : ObjectKind.values()) {
            List<RunObject> of = objects.of(kind);
            if (of.isEmpty()) {
                continue;
            }
            lines.add(kind.plural() + " (" + of.size() + "):");
            for (RunObject o : of) {
                String note = o.isTaskContainer() ? ", removed by swarm with its task" : "";
                lines.add("  " + o.name() + "  [" + o.matchedBy(stack) + note + "]");
            }
        }
        return lines;
    }

    /** Names by kind, for the JSON report. */
    public Map<String, List<String>> describe() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        objects.namesByKind().forEach((k, v) -> m.put(k.plural(), v));
        return m;
    }
}
