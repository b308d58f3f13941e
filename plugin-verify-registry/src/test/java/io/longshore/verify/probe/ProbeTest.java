package io.longshore.verify.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.longshore.kit.output.Events;
import io.longshore.kit.output.Masker;
import io.longshore.verify.registry.Backoff;
import io.longshore.verify.registry.Connector;
import io.longshore.kit.wait.Deadline;
import io.longshore.verify.registry.Endpoint;
import io.longshore.verify.registry.RegistryClient;
import io.longshore.verify.walk.WalkOptions;
import io.longshore.verify.walk.Walker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

class ProbeTest {
    @Test
    void followsLinkPagesOfTheCatalogAndStopsListingTenThousandTagsAtTheCap() throws Exception {
        AtomicInteger tagPages = new AtomicInteger();
        try (MockWebServer server = new MockWebServer()) {
            server.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest r) {
                    String path = r.getUrl().encodedPath();
                    if (path.equals("/v2/")) {
                        return new MockResponse.Builder().code(200).build();
                    }
                    if (path.equals("/v2/_catalog")) {
                        String last = r.getUrl().queryParameter("last");
                        if (last == null) {
                            return new MockResponse.Builder().code(200).setHeader("Link", "</v2/_catalog?last=a%2Fone&n=100>; rel=\"next\"")
                                    .body("{\"repositories\":[\"a/one\",\"skip/me\"]}").build();
                        }
                        return new MockResponse.Builder().code(200).body("{\"repositories\":[\"a/two\"]}").build();
                    }
                    if (path.endsWith("/tags/list")) {
                        int page = tagPages.incrementAndGet();
                        int start = r.getUrl().queryParameter("last") == null ? 0 : Integer.parseInt(r.getUrl().queryParameter("last").substring(1)) + 1;
                        int n = Integer.parseInt(r.getUrl().queryParameter("n"));
                        StringBuilder tags = new StringBuilder();
                        for (int i = start; i < Math.min(start + n, 10_000); i++) {
                            tags.append(tags.isEmpty() ? "" : ",").append("\"t").append(i).append('"');
                        }
                        String name = path.substring(4, path.length() - "/tags/list".length());
                        return new MockResponse.Builder().code(200).setHeader("Link", "</v2/" + name + "/tags/list?n=" + n + "&last=t" + (start + n - 1) + ">; rel=\"next\"")
                                .body("{\"name\":\"" + name + "\",\"tags\":[" + tags + "]}").build();
                    }
                    return new MockResponse.Builder().code(404).build();
                }
            });
            server.start();
            var settings = new Connector.Settings(Endpoint.parse("http://127.0.0.1:" + server.getPort()), null, false, null, 8, 0,
                    new Backoff(Duration.ofMillis(5), Duration.ofMillis(20)), Deadline.in(Duration.ofSeconds(20)), "test");
            RegistryClient client = ((Connector.Connected) Connector.connect(settings, new Masker())).connection().client();
            ProbeResult result;
            try (Walker walker = new Walker(client, WalkOptions.shallow(8))) {
                result = new Probe(client, walker, List.of(Glob.of("a/*")), 150, Events.none()).run("test");
            }
            assertTrue(result.catalogAccessible());
            assertEquals(List.of("a/one", "a/two"), result.repositories().stream().map(ProbeResult.RepositoryResult::repository).toList());
            assertEquals(300, result.tagsChecked());
            assertEquals(4, tagPages.get(), "two pages of 100 per repository, not a hundred");
            assertEquals(300, result.brokenTags(), "every tag 404s in this fake registry");
            assertFalse(result.success());
            String metrics = Metrics.render(result);
            assertTrue(metrics.contains("longshore_registry_broken_tags{registry=\"test\",repository=\"a/one\"} 150"), metrics);
            assertTrue(metrics.contains("# TYPE longshore_registry_probe_success gauge"), metrics);
        }
    }

    @Test
    void globsMatchWithinAndAcrossPathSegments() {
        assertTrue(Glob.of("team/*").matches("team/app"));
        assertFalse(Glob.of("team/*").matches("team/app/sub"));
        assertTrue(Glob.of("team/**").matches("team/app/sub"));
        assertTrue(Glob.of("*/app").matches("x/app"));
        assertFalse(Glob.of("team/?pp").matches("team/zzpp"));
    }
}
