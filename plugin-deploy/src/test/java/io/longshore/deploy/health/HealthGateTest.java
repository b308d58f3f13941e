package io.longshore.deploy.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.longshore.kit.output.Events;
import io.longshore.kit.run.ShutdownHooks;
import io.longshore.kit.wait.FakeTime;
import io.longshore.kit.wait.TimeSource;
import java.time.Duration;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

class HealthGateTest {
    private final FakeTime time = FakeTime.at("2026-12-01T10:00:00Z");
    private final HealthGate gate = new HealthGate(new OkHttpClient(), Events.none(), new ShutdownHooks(m -> {}), time.source());

    @Test
    void readsStatusRanges() {
        StatusRanges r = StatusRanges.parse("200-299, 401");
        assertTrue(r.accepts(204));
        assertTrue(r.accepts(401));
        assertFalse(r.accepts(302));
        assertThrows(IllegalArgumentException.class, () -> StatusRanges.parse("abc"));
        assertThrows(IllegalArgumentException.class, () -> StatusRanges.parse("300-200"));
    }

    @Test
    void readsResolveEntriesAsCurlDoes() {
        assertEquals(new ResolveEntry("app.localhost", 443, "127.0.0.1"), ResolveEntry.parse("app.localhost:443:127.0.0.1"));
        assertEquals(new ResolveEntry("h", 80, "::1"), ResolveEntry.parse("h:80:[::1]"));
        assertThrows(IllegalArgumentException.class, () -> ResolveEntry.parse("h:80"));
    }

    @Test
    void retriesUntilTheStatusIsAcceptedThroughAPinnedAddress() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.enqueue(new MockResponse.Builder().code(503).body("starting").build());
            server.enqueue(new MockResponse.Builder().code(200).body("ok").build());
            server.start();
            String url = "http://app.invalid:" + server.getPort() + "/health";
            HealthGate.Result r = gate.check(url, StatusRanges.parse("200-399"),
                    List.of(ResolveEntry.parse("app.invalid:" + server.getPort() + ":127.0.0.1")), Duration.ofSeconds(10));
            assertTrue(r.healthy(), r.describe());
            assertEquals(2, r.attempts());
            assertEquals("app.invalid:" + server.getPort(), server.takeRequest().getHeaders().get("Host"));
        }
    }

    @Test
    void reportsTheLastStatusAndBodyWhenTheDeadlinePasses() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            for (int i = 0; i < 10; i++) {
                server.enqueue(new MockResponse.Builder().code(503).body("maintenance\n mode").build());
            }
            server.start();
            HealthGate.Result r = gate.check(server.url("/h").toString(), StatusRanges.parse("200"), List.of(), Duration.ofSeconds(1));
            assertFalse(r.healthy());
            // asked at 0, 0.5 s and once more at the deadline (the fake clock moves only when the gate waits)
            assertEquals(3, r.attempts());
            assertEquals(Duration.ofSeconds(1), r.took());
            assertEquals(503, r.lastStatus());
            assertEquals("maintenance mode", r.lastBody());
            assertTrue(r.describe().contains("HTTP 503: maintenance mode"), r.describe());
        }
    }
}
