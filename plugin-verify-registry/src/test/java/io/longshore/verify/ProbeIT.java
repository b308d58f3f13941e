package io.longshore.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.longshore.testenv.TestEnv;
import io.longshore.verify.fixture.RegistryFixture;
import io.longshore.verify.fixture.Storage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Probe mode against the real registry's catalog, narrowed to this test's repositories by a glob. */
class ProbeIT {
    @TempDir
    Path dir;

    @Test
    void probesTheCatalogWritesMetricsAndPushesThemAndFailsOnABrokenTag() throws Exception {
        String registry = TestEnv.get("LONGSHORE_REGISTRY_ANON");
        RegistryFixture fixture = new RegistryFixture(registry);
        String good = RegistryFixture.uniqueRepo("good");
        String prefix = good.substring(0, good.indexOf('/'));
        String bad = prefix + "/bad";
        for (String tag : List.of("1", "2", "3", "4")) {
            fixture.pushImage(good, tag, "linux/amd64", 1, 1024);
        }
        var multi = fixture.pushIndex(bad, "latest", List.of("linux/amd64"), 2, 8 * 1024, false);
        Path metrics = dir.resolve("metrics/verify.prom");
        Map<String, String> settings = Map.of("PLUGIN_MODE", "probe", "PLUGIN_REGISTRY", registry,
                "PLUGIN_PROBE_REPOS", prefix + "/*", "PLUGIN_PROBE_TAGS", "3", "PLUGIN_METRICS_FILE", metrics.toString());

        Run intact = Run.of(dir, settings);
        assertEquals(0, intact.exitCode(), intact::toString);
        String text = Files.readString(metrics);
        assertTrue(text.contains("longshore_registry_probe_success{registry=\"" + registry + "\"} 1"), text);
        assertTrue(text.contains("longshore_registry_repositories_checked{registry=\"" + registry + "\"} 2"), text);
        assertTrue(text.contains("longshore_registry_tags_checked{registry=\"" + registry + "\"} 4"), "3 of good's 4 tags, 1 of bad's\n" + text);
        assertTrue(text.contains("longshore_registry_catalog_accessible{registry=\"" + registry + "\"} 1"), text);

        new Storage(Path.of(TestEnv.get("LONGSHORE_REGISTRY_ANON_ROOT"))).deleteData(multi.images().get(0).layers().get(0).parsedDigest());
        try (MockWebServer pushgateway = new MockWebServer()) {
            pushgateway.enqueue(new MockResponse.Builder().code(200).build());
            pushgateway.start();
            var withPush = new java.util.HashMap<>(settings);
            withPush.put("PLUGIN_DEEP", "true");
            withPush.put("PLUGIN_PUSHGATEWAY", pushgateway.url("/").toString());
            Run broken = Run.of(dir, withPush);
            assertEquals(1, broken.exitCode(), broken::toString);
            assertTrue(broken.stdout().contains(multi.images().get(0).layers().get(0).digest()), broken::toString);
            String after = Files.readString(metrics);
            assertTrue(after.contains("longshore_registry_broken_tags{registry=\"" + registry + "\",repository=\"" + bad + "\"} 1"), after);
            assertTrue(after.contains("longshore_registry_broken_tags{registry=\"" + registry + "\",repository=\"" + good + "\"} 0"), after);
            assertTrue(after.contains("longshore_registry_missing_blobs{registry=\"" + registry + "\"} 1"), after);
            assertTrue(after.contains("longshore_registry_probe_success{registry=\"" + registry + "\"} 0"), after);
            RecordedRequest push = pushgateway.takeRequest();
            assertEquals("PUT", push.getMethod());
            assertEquals("/metrics/job/longshore_verify_registry/instance/" + registry, push.getUrl().encodedPath());
            assertEquals(after, push.getBody().utf8());
        } finally {
            fixture.deleteAll();
        }
    }

    @Test
    void probesATokenAuthRegistryWithACatalogScopedTokenAndSaysSoWhenCredentialsAreWrong() throws Exception {
        String registry = TestEnv.get("LONGSHORE_REGISTRY_TOKEN");
        String user = TestEnv.get("LONGSHORE_REGISTRY_TOKEN_USER");
        String password = TestEnv.get("LONGSHORE_REGISTRY_TOKEN_PASSWORD");
        RegistryFixture fixture = new RegistryFixture(registry, user, password);
        String repo = RegistryFixture.uniqueRepo("probe-token");
        try {
            fixture.pushImage(repo, "latest", "linux/amd64", 1, 1024);
            Path metrics = dir.resolve("token.prom");
            Map<String, String> settings = new java.util.HashMap<>(Map.of("PLUGIN_MODE", "probe", "PLUGIN_REGISTRY", registry,
                    "PLUGIN_PROBE_REPOS", repo, "PLUGIN_USERNAME", user, "PLUGIN_PASSWORD", password, "PLUGIN_METRICS_FILE", metrics.toString()));
            Run run = Run.of(dir, settings);
            assertEquals(0, run.exitCode(), run::toString);
            assertTrue(Files.readString(metrics).contains("longshore_registry_tags_checked{registry=\"" + registry + "\"} 1"));

            settings.put("PLUGIN_PASSWORD", "wrong-" + password);
            Run refused = Run.of(dir, settings);
            assertEquals(3, refused.exitCode(), refused::toString);
            assertTrue(Files.readString(metrics).contains("longshore_registry_catalog_accessible{registry=\"" + registry + "\"} 0"));
            assertTrue(!refused.everything().contains(password));
        } finally {
            fixture.deleteAll();
        }
    }
}
