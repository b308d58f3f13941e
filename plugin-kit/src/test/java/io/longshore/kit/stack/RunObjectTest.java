package io.longshore.kit.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunObjectTest {

    static RunObject obj(ObjectKind kind, String name, Map<String, String> labels) {
        return new RunObject(kind, kind.singular() + ":" + name, name, labels);
    }

    @Test
    void anObjectLabelledWithTheRunBelongsToItWhateverItsName() {
        assertTrue(obj(ObjectKind.NETWORK, "custom", Map.of(RunLabels.RUN, "app-1")).belongsTo("app-1"));
        assertTrue(obj(ObjectKind.NETWORK, "custom", Map.of(RunLabels.STACK_NAMESPACE, "app-1")).belongsTo("app-1"));
    }

    @Test
    void anUnlabelledObjectBelongsToTheRunWhoseNamePrefixItCarries() {
        RunObject external = obj(ObjectKind.SECRET, "app-1_x_v1", Map.of());
        assertTrue(external.belongsTo("app-1"));
        assertEquals("prefix", external.matchedBy("app-1"));
    }

    @Test
    void aNameThatOnlyStartsLikeTheStackWithoutTheUnderscoreIsNotTheRuns() {
        assertFalse(obj(ObjectKind.SECRET, "app-10_x", Map.of()).belongsTo("app-1"));
        assertFalse(obj(ObjectKind.SECRET, "app-1-x", Map.of()).belongsTo("app-1"));
        assertFalse(obj(ObjectKind.SECRET, "app-1", Map.of()).belongsTo("app-1"));
    }

    @Test
    void anObjectLabelledForAnotherRunIsNotClaimedByAPrefix() {
        // stack "a" must not take the objects of stack "a_b"
        RunObject other = obj(ObjectKind.SERVICE, "a_b_web", Map.of(RunLabels.STACK_NAMESPACE, "a_b"));
        assertFalse(other.belongsTo("a"));
        assertTrue(other.belongsTo("a_b"));
    }

    @Test
    void aTaskContainerBelongsToTheRunOfItsService() {
        RunObject c = obj(ObjectKind.CONTAINER, "weird-name.1.abc",
                Map.of(RunObject.SWARM_SERVICE_NAME, "app-1_web", RunObject.SWARM_TASK_ID, "t1"));
        assertTrue(c.belongsTo("app-1"));
        assertTrue(c.isTaskContainer());
    }

    @Test
    void selectingARunKeepsOnlyItsObjectsInTeardownOrder() {
        RunObjects run = RunObjects.select("app-1", List.of(
                obj(ObjectKind.VOLUME, "app-1_data", Map.of(RunLabels.RUN, "app-1")),
                obj(ObjectKind.SERVICE, "app-1_web", Map.of(RunLabels.RUN, "app-1")),
                obj(ObjectKind.SERVICE, "other_web", Map.of(RunLabels.RUN, "other")),
                obj(ObjectKind.SECRET, "app-1_x_v1", Map.of())));
        assertEquals(List.of("app-1_web", "app-1_x_v1", "app-1_data"), run.objects().stream().map(RunObject::name).toList());
    }
}
