package io.longshore.kit.stack;

import static io.longshore.kit.stack.RunObjectTest.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.longshore.kit.stack.TeardownPlan.Step;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TeardownPlanTest {
    static final Map<String, String> RUN = Map.of(RunLabels.RUN, "app-1", RunLabels.STACK_NAMESPACE, "app-1");

    static TeardownPlan plan() {
        return TeardownPlan.of(RunObjects.select("app-1", List.of(
                obj(ObjectKind.SERVICE, "app-1_web", RUN),
                obj(ObjectKind.SERVICE, "app-1_db", RUN),
                obj(ObjectKind.CONTAINER, "app-1_web.1.x", Map.of(RunLabels.STACK_NAMESPACE, "app-1", RunObject.SWARM_TASK_ID, "t")),
                obj(ObjectKind.CONTAINER, "app-1_test-stage", RUN),
                obj(ObjectKind.SECRET, "app-1_s", RUN),
                obj(ObjectKind.SECRET, "app-1_x_v1", Map.of()),
                obj(ObjectKind.CONFIG, "app-1_c", RUN),
                obj(ObjectKind.NETWORK, "app-1_default", RUN),
                obj(ObjectKind.VOLUME, "app-1_data", RUN),
                obj(ObjectKind.VOLUME, "someone-elses", Map.of()))));
    }

    @Test
    void stepsRunInTheIssuesOrderAndTaskContainersAreWaitedForNotRemoved() {
        Map<Step, List<RunObject>> steps = plan().steps();
        assertEquals(List.of(Step.values()), List.copyOf(steps.keySet()));
        assertEquals(List.of("app-1_db", "app-1_web", "app-1_test-stage"), names(steps.get(Step.REMOVE_SERVICES)));
        assertEquals(List.of("app-1_web.1.x"), names(steps.get(Step.AWAIT_TASKS)));
        assertEquals(List.of("app-1_s", "app-1_x_v1", "app-1_c"), names(steps.get(Step.REMOVE_SECRETS_AND_CONFIGS)));
        assertEquals(List.of("app-1_default"), names(steps.get(Step.REMOVE_NETWORKS)));
        assertEquals(List.of("app-1_data"), names(steps.get(Step.REMOVE_VOLUMES)));
    }

    @Test
    void printedPlanListsEveryObjectByKindWithWhyItIsPartOfTheRun() {
        List<String> lines = plan().lines();
        assertEquals("services (2):", lines.get(0));
        assertTrue(lines.contains("  app-1_x_v1  [prefix]"), lines.toString());
        assertTrue(lines.contains("volumes (1):"), lines.toString());
        assertTrue(lines.stream().noneMatch(l -> l.contains("someone-elses")));
    }

    @Test
    void aRunThatIsGoneHasAnEmptyPlan() {
        TeardownPlan empty = TeardownPlan.of(RunObjects.select("gone", List.of(obj(ObjectKind.VOLUME, "x", Map.of()))));
        assertTrue(empty.isEmpty());
        assertEquals(List.of("nothing of run gone is left on the engine"), empty.lines());
    }

    private static List<String> names(List<RunObject> l) {
        return l.stream().map(RunObject::name).toList();
    }
}
