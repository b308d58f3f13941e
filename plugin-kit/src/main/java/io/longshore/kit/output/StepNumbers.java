package io.longshore.kit.output;

import java.util.List;

/**
 * Numbers a job's steps against the list it declared up front ({@link Events#planSteps}): a step
 * whose name is the next declared one (or a later one: earlier steps may be skipped) is "step i of
 * n"; a step the plan did not declare is not numbered. Without a declared plan nothing is numbered.
 */
final class StepNumbers {
    private List<String> planned = List.of();
    private int next;

    synchronized void plan(List<String> names) {
        planned = List.copyOf(names);
        next = 0;
    }

    /** The 1-based number of {@code name} in the plan, or 0 when it is not the next declared step. */
    synchronized int number(String name) {
        for (int i = next; i < planned.size(); i++) {
            if (planned.get(i).equals(name)) {
                next = i + 1;
                return i + 1;
            }
        }
        return 0;
    }

    synchronized int total() {
        return planned.size();
    }
}
