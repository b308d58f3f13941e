package io.longshore.kit.stack;

import static io.longshore.kit.stack.RunObjectTest.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JanitorPolicyTest {
    static final Instant NOW = Instant.parse("2026-11-21T18:00:00Z");

    static RunSummary run(String stack, String created, String expires) {
        Map<String, String> labels = new java.util.HashMap<>(Map.of(RunLabels.RUN, stack));
        if (created != null) {
            labels.put(RunLabels.CREATED, created);
        }
        if (expires != null) {
            labels.put(RunLabels.EXPIRES, expires);
        }
        return RunSummary.group(List.of(obj(ObjectKind.NETWORK, stack + "_n", labels))).get(0);
    }

    JanitorPolicy policy = new JanitorPolicy(NOW, null, Protect.of("keep-*"));

    @Test
    void reapsARunWhoseExpiryHasPassed() {
        JanitorPolicy.Verdict v = policy.decide(run("a", null, "2026-11-21T17:59:59Z"));
        assertTrue(v.reap());
        assertEquals("expired 2026-11-21T17:59:59Z", v.reason());
    }

    @Test
    void keepsARunThatHasNotExpiredYet() {
        assertFalse(policy.decide(run("a", null, "2026-11-21T18:00:01Z")).reap());
    }

    @Test
    void keepsAProtectedRunEvenWhenExpiredAndSaysWhichGlob() {
        JanitorPolicy.Verdict v = policy.decide(run("keep-main", null, "2020-01-01T00:00:00Z"));
        assertFalse(v.reap());
        assertEquals("protected by keep-*", v.reason());
    }

    @Test
    void keepsARunWhoseLabelsCannotTellWhenItExpires() {
        assertEquals("no io.longshore.expires label", policy.decide(run("a", null, null)).reason());
        assertFalse(policy.decide(run("a", null, "tomorrow")).reap());
    }

    @Test
    void withATtlTheAgeDecidesAndTheExpiryLabelIsIgnored() {
        JanitorPolicy ttl = new JanitorPolicy(NOW, Duration.ofHours(1), Protect.none());
        assertTrue(ttl.decide(run("old", "2026-11-21T16:59:00Z", "2099-01-01T00:00:00Z")).reap());
        assertTrue(ttl.decide(run("old", "2026-11-21T16:59:00Z", null)).reason().endsWith("older than ttl 1h"));
        assertFalse(ttl.decide(run("young", "2026-11-21T17:30:00Z", "2020-01-01T00:00:00Z")).reap());
        assertFalse(ttl.decide(run("unknown-age", null, "2020-01-01T00:00:00Z")).reap());
    }

    @Test
    void aRunExpiresOnlyWhenAllOfItsObjectsHave() {
        RunSummary s = RunSummary.group(List.of(
                obj(ObjectKind.NETWORK, "a_n", Map.of(RunLabels.RUN, "a", RunLabels.EXPIRES, "2026-11-21T17:00:00Z")),
                obj(ObjectKind.VOLUME, "a_v", Map.of(RunLabels.RUN, "a", RunLabels.EXPIRES, "2026-11-21T19:00:00Z")),
                obj(ObjectKind.VOLUME, "unlabelled", Map.of()))).get(0);
        assertEquals(Instant.parse("2026-11-21T19:00:00Z"), s.expires());
        assertEquals(2, s.objects());
        assertFalse(policy.decide(s).reap());
    }

    @Test
    void objectsWithoutTheRunLabelAreNeverARun() {
        assertTrue(RunSummary.group(List.of(
                obj(ObjectKind.SECRET, "a_x_v1", Map.of()),
                obj(ObjectKind.NETWORK, "b_n", Map.of(RunLabels.STACK_NAMESPACE, "b")))).isEmpty());
    }

    @Test
    void protectGlobsMatchWholeStackNames() {
        Protect p = Protect.of("prod", "stage-?", "keep*");
        assertTrue(p.protects("prod"));
        assertFalse(p.protects("prod-1"));
        assertTrue(p.protects("stage-1"));
        assertFalse(p.protects("stage-12"));
        assertTrue(p.protects("keeper"));
        assertFalse(Protect.of("a.b").protects("axb"));
    }
}
