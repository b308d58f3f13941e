package io.longshore.kit.stack;

import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The objects of one run found on the engine, in teardown order (kind, then name). */
public record RunObjects(String stack, List<RunObject> objects) {
    public RunObjects {
        objects = objects.stream()
                .sorted(Comparator.comparing(RunObject::kind).thenComparing(RunObject::name))
                .toList();
    }

    /** The objects of {@code everything} that belong to run {@code stack} (pure: labels and names only). */
    public static RunObjects select(String stack, Collection<RunObject> everything) {
        return new RunObjects(stack, everything.stream().filter(o -> o.belongsTo(stack)).toList());
    }

    public List<RunObject> of(ObjectKind kind) {
        return objects.stream().filter(o -> o.kind() == kind).toList();
    }

    public boolean isEmpty() {
        return objects.isEmpty();
    }

    public int size() {
        return objects.size();
    }

    /** Object names by kind, for printing and reports. */
    public Map<ObjectKind, List<String>> namesByKind() {
        Map<ObjectKind, List<String>> m = new EnumMap<>(ObjectKind.class);
        for (ObjectKind k : ObjectKind.values()) {
            List<String> names = of(k).stream().map(RunObject::name).toList();
            if (!names.isEmpty()) {
                m.put(k, names);
            }
        }
        return m;
    }
}
