package io.longshore.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.longshore.testenv.TestEnv;
import io.longshore.verify.fixture.FaultProxy;
import io.longshore.verify.fixture.RegistryFixture;
import io.longshore.verify.registry.InFlightLimit;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A fault-injecting proxy in front of the real registry: bursts, resets, truncation, silence. */
class VerifyFaultsIT {
    @TempDir
    java.nio.file.Path dir;
    String registry;
    String repo;
    RegistryFixture fixture;

    @BeforeEach
    void pushAnIndex() {
        registry = TestEnv.get("LONGSHORE_REGISTRY_ANON");
        repo = RegistryFixture.uniqueRepo("faults");
        fixture = new RegistryFixture(registry);
        fixture.pushIndex(repo, "latest", List.of("linux/amd64", "linux/arm64"), 4, 16 * 1024, true);
    }

    @org.junit.jupiter.api.AfterEach
    void removeWhatWasPushed() {
        fixture.deleteAll();
    }

    Run through(FaultProxy proxy, String... more) {
        Map<String, String> s = new java.util.HashMap<>(Map.of("PLUGIN_REPO", proxy.hostPort() + "/" + repo));
        for (int i = 0; i < more.length; i += 2) {
            s.put(more[i], more[i + 1]);
        }
        return Run.of(dir, s);
    }

    @Test
    void walksThrough429And503BurstsHonouringRetryAfter() throws Exception {
        try (FaultProxy proxy = new FaultProxy(registry, (m, p, n) -> switch (n % 6) {
            case 1 -> new FaultProxy.Status(429, 0);
            case 2 -> new FaultProxy.Status(503, 0);
            default -> new FaultProxy.Pass();
        })) {
            Run run = through(proxy, "PLUGIN_RETRIES", "6");
            assertEquals(0, run.exitCode(), run::toString);
            assertTrue(proxy.faults() >= 5, "faults injected: " + proxy.faults());
        }
    }

    @Test
    void asksLessOftenWhenTheRegistryPushesBackInsteadOfRetryingHarder() throws Exception {
        // 8 platforms x 12 layers: a walk wide enough to fill the default window many times over
        String wide = RegistryFixture.uniqueRepo("pushback");
        fixture.pushIndex(wide, "latest", io.longshore.verify.fixture.BenchImage.PLATFORMS, 12, 1024, false);
        // a registry that takes 4 requests at a time and answers the rest 429, come back in a second
        java.util.concurrent.atomic.AtomicReference<FaultProxy> self = new java.util.concurrent.atomic.AtomicReference<>();
        try (FaultProxy proxy = new FaultProxy(registry, (m, p, n) ->
                self.get().inFlight() > PUSHBACK_LIMIT ? new FaultProxy.Status(429, 1) : new FaultProxy.Delay(10))) {
            self.set(proxy);
            Run run = Run.of(dir, Map.of("PLUGIN_REPO", proxy.hostPort() + "/" + wide));
            assertEquals(0, run.exitCode(), run::toString);
            assertTrue(run.stdout().contains("the registry asked to slow down"), run::toString);
            // The walk starts at the old fixed width of 8, and after the registry's first pushback it
            // never asks for more than it took: no more 429s than that old width earned (measured
            // at 8 in 122 requests; a fixed window of 32 earned 81 in 195).
            assertTrue(proxy.faults() <= InFlightLimit.START,
                    "429s answered: " + proxy.faults() + " of " + proxy.requests() + " requests");
        }
    }

    static final int PUSHBACK_LIMIT = 4;

    @Test
    void keepsAtMostConcurrencyRequestsInFlightAgainstASlowRegistry() throws Exception {
        try (FaultProxy proxy = new FaultProxy(registry, (m, p, n) -> new FaultProxy.Delay(15))) {
            Run run = through(proxy, "PLUGIN_CONCURRENCY", "3");
            assertEquals(0, run.exitCode(), run::toString);
            assertTrue(proxy.peakInFlight() <= 3, "peak " + proxy.peakInFlight());
            assertEquals(3, proxy.peakInFlight(), "the walk fans out up to the bound");
        }
    }

    @Test
    void retriesResetConnectionsAndTruncatedManifests() throws Exception {
        try (FaultProxy proxy = new FaultProxy(registry, (m, p, n) -> {
            if (n % 5 == 2) {
                return new FaultProxy.Reset();
            }
            return p.contains("/manifests/") && n % 5 == 3 ? new FaultProxy.Truncate() : new FaultProxy.Pass();
        })) {
            Run run = through(proxy, "PLUGIN_RETRIES", "6");
            assertEquals(0, run.exitCode(), run::toString);
            assertTrue(proxy.faults() >= 3, "faults injected: " + proxy.faults());
        }
    }

    @Test
    void reportsBlobsWhoseBodyIsAlwaysCutShortInADeepWalk() throws Exception {
        try (FaultProxy proxy = new FaultProxy(registry,
                (m, p, n) -> m.equals("GET") && p.contains("/blobs/") ? new FaultProxy.Truncate() : new FaultProxy.Pass())) {
            Run run = through(proxy, "PLUGIN_DEEP", "true", "PLUGIN_RETRIES", "1");
            assertEquals(1, run.exitCode(), run::toString);
            assertTrue(run.stdout().contains("the blob's data is gone or cut short"), run::toString);
        }
    }

    @Test
    void reportsAnHtmlPageServedInsteadOfAManifest() throws Exception {
        try (FaultProxy proxy = new FaultProxy(registry, (m, p, n) -> p.contains("/manifests/sha256:") ? new FaultProxy.Html() : new FaultProxy.Pass())) {
            Run run = through(proxy);
            assertEquals(1, run.exitCode(), run::toString);
            assertTrue(run.stdout().contains("broken: the registry served an HTML page, not a manifest (served as text/html)"), run::toString);
            assertTrue(!run.everything().contains("\tat "), "no stack trace");
        }
    }

    @Test
    void callsARegistryThatKeepsAnswering503UnavailableNotBroken() throws Exception {
        AtomicInteger manifests = new AtomicInteger();
        try (FaultProxy proxy = new FaultProxy(registry, (m, p, n) ->
                p.contains("/manifests/") && manifests.incrementAndGet() > 1 ? new FaultProxy.Status(503, 0) : new FaultProxy.Pass())) {
            Run run = through(proxy, "PLUGIN_RETRIES", "2");
            assertEquals(3, run.exitCode(), run::toString);
            assertTrue(run.stdout().contains("HTTP 503"), run::toString);
        }
    }

    @Test
    void givesUpWithExit3WithinTheTimeoutWhenTheRegistryNeverAnswers() throws Exception {
        try (FaultProxy proxy = new FaultProxy(registry, (m, p, n) -> new FaultProxy.Hang())) {
            Instant start = Instant.now();
            Run run = through(proxy, "PLUGIN_TIMEOUT", "3s");
            Duration took = Duration.between(start, Instant.now());
            assertEquals(3, run.exitCode(), run::toString);
            assertTrue(took.compareTo(Duration.ofSeconds(6)) < 0, "took " + took);
            assertTrue(run.stdout().contains("did not answer"), run::toString);
        }
    }

    @Test
    void givesUpWithExit3WhenTheRegistryStopsAnsweringMidWalk() throws Exception {
        AtomicInteger blobs = new AtomicInteger();
        try (FaultProxy proxy = new FaultProxy(registry,
                (m, p, n) -> p.contains("/blobs/") && blobs.incrementAndGet() > 3 ? new FaultProxy.Hang() : new FaultProxy.Pass())) {
            Run run = through(proxy, "PLUGIN_TIMEOUT", "3s");
            assertEquals(3, run.exitCode(), run::toString);
        }
    }
}
