package io.longshore.kit.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.longshore.kit.engine.EngineCall.Kind;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EngineCallTest {

    @ParameterizedTest(name = "{0} {1} is {2}")
    @CsvSource({
            "GET, /tasks?filters=x, Repeatable",
            "HEAD, /_ping, Repeatable",
            "GET, /v1.41/containers/abc/json, Repeatable",
            "POST, /containers/abc/stop?t=10, Repeatable",
            "POST, /v1.41/containers/abc/exec, Repeatable",
            "POST, /images/create?fromImage=busybox%3Alatest, Repeatable",
            "POST, /images/prune?filters=x, Repeatable",
            "POST, /volumes/create, Repeatable",
            "DELETE, /secrets/3f9c, Remove",
            "DELETE, /containers/abc?force=1&v=1, Remove",
            "POST, /services/abc/update?version=12, Update",
            "POST, /v1.41/exec/abc/start, Stream",
            "GET, /containers/abc/logs?follow=1&stdout=1, Stream",
            "GET, /events, Stream",
            "POST, /swarm/join, Once",
            "POST, /containers/create, Once",
    })
    void classifiesEachRequestByWhatRepeatingItWouldDo(String method, String path, String kind) {
        assertEquals(kind, EngineCall.of(method, path, null).kind().getClass().getSimpleName());
    }

    @Test
    void aCreateNamesItsObjectAndLabelsFromTheBody() {
        byte[] body = "{\"Name\":\"app_db_v1\",\"Labels\":{\"io.longshore.run\":\"app\"},\"Data\":\"eA==\"}".getBytes(StandardCharsets.UTF_8);
        EngineCall call = EngineCall.of("POST", "/secrets/create", body);

        assertEquals(new Kind.Create("secret", "app_db_v1", Map.of("io.longshore.run", "app")), call.kind());
        assertEquals("create secret app_db_v1", call.describe());
        assertTrue(call.createsOrStarts());
    }

    @Test
    void aContainerCreateIsNamedByItsQuery() {
        EngineCall call = EngineCall.of("POST", "/v1.41/containers/create?name=app_job_1", "{\"Labels\":{}}".getBytes(StandardCharsets.UTF_8));
        assertEquals(new Kind.Create("container", "app_job_1", Map.of()), call.kind());
    }

    @Test
    void removesAndReadsAreNotRefusedWhileTheProcessEnds() {
        assertFalse(EngineCall.of("DELETE", "/services/x", null).createsOrStarts());
        assertFalse(EngineCall.of("POST", "/containers/x/stop?t=2", null).createsOrStarts());
        assertFalse(EngineCall.of("POST", "/images/create?fromImage=x", null).createsOrStarts());
        assertTrue(EngineCall.of("POST", "/containers/x/exec", null).createsOrStarts());
        assertTrue(EngineCall.of("POST", "/volumes/create", null).createsOrStarts());
    }
}
