package io.longshore.verify.walk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.longshore.kit.output.Masker;
import io.longshore.verify.model.Descriptor;
import io.longshore.verify.model.Digest;
import io.longshore.verify.model.MediaTypes;
import io.longshore.verify.registry.Backoff;
import io.longshore.verify.registry.Connector;
import io.longshore.kit.wait.Deadline;
import io.longshore.verify.registry.Endpoint;
import io.longshore.verify.registry.RegistryClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The walk against exact protocol answers (MockWebServer): what each odd answer becomes. */
class WalkerTest {
    static final String REPO = "team/app";
    MockWebServer server;
    FakeRegistry registry;

    @BeforeEach
    void start() throws Exception {
        registry = new FakeRegistry();
        server = new MockWebServer();
        server.setDispatcher(registry);
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    RegistryClient client(int retries) {
        Deadline deadline = Deadline.in(Duration.ofSeconds(20));
        var settings = new Connector.Settings(Endpoint.parse("http://" + server.getHostName() + ":" + server.getPort()), null, false, null, 8,
                retries, new Backoff(Duration.ofMillis(5), Duration.ofMillis(20)), deadline, "test");
        return ((Connector.Connected) Connector.connect(settings, new Masker())).connection().client();
    }

    Node walk(WalkOptions options, String tag, Digest expected) {
        try (Walker w = new Walker(client(2), options)) {
            return w.walkTag(REPO, tag, expected);
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    Descriptor image(String tag, int layers, String salt) {
        Descriptor config = registry.blob(REPO, bytes("{\"salt\":\"" + salt + "\"}"), MediaTypes.OCI_CONFIG);
        List<Descriptor> ls = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            ls.add(registry.blob(REPO, bytes("layer " + i), MediaTypes.OCI_LAYER_GZIP));
        }
        return registry.manifest(REPO, tag, MediaTypes.OCI_MANIFEST, FakeRegistry.image(config, ls));
    }

    @Test
    void checksEachSharedBlobOnceAndKeepsRequestsWithinTheConcurrency() {
        Descriptor a = image(null, 12, "a");
        Descriptor b = image(null, 12, "b");
        registry.manifest(REPO, "latest", MediaTypes.OCI_INDEX, FakeRegistry.index(List.of(a, b)));
        registry.delayMs = 20;
        Node root = walk(new WalkOptions(false, List.of(), false, 4), "latest", null);
        assertEquals(Node.Status.OK, root.worst(), () -> String.join("\n", TreePrinter.render(List.of(root), false)));
        Tally t = Tally.of(List.of(root));
        assertEquals(14, t.blobs());
        assertEquals(12, t.shared());
        Descriptor layer0 = registry.blob(REPO, bytes("layer 0"), MediaTypes.OCI_LAYER_GZIP);
        assertEquals(1, registry.hits("HEAD /v2/" + REPO + "/blobs/" + layer0.digest()));
        assertTrue(registry.peak.get() <= 4, "peak in flight " + registry.peak.get());
    }

    @Test
    void walksNestedIndexesAndReportsAChildListedWithTheWrongMediaType() {
        Descriptor leaf = image(null, 2, "nested");
        Descriptor inner = registry.manifest(REPO, null, MediaTypes.OCI_INDEX, FakeRegistry.index(List.of(leaf)));
        Descriptor mislabelled = new Descriptor(MediaTypes.DOCKER_MANIFEST, leaf.digest(), leaf.size(), List.of(), null, java.util.Map.of(), null);
        registry.manifest(REPO, "nested", MediaTypes.OCI_INDEX, FakeRegistry.index(List.of(inner, mislabelled)));
        Node root = walk(WalkOptions.shallow(8), "nested", null);
        Node innerNode = root.children().get(0);
        assertEquals(Node.Kind.INDEX, innerNode.kind());
        assertEquals(Node.Status.OK, innerNode.worst(), root::toString);
        assertEquals(3, innerNode.children().get(0).children().size());
        Finding f = root.children().get(1).finding();
        assertTrue(f.message().contains("listed as " + MediaTypes.DOCKER_MANIFEST + " but is " + MediaTypes.OCI_MANIFEST), root.toString());
    }

    @Test
    void reportsABodyThatDoesNotHashToTheDigestAskedFor() {
        Descriptor real = image(null, 1, "x");
        Descriptor lie = Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.parse("sha256:" + "1".repeat(64)), real.size());
        registry.answers.put("GET /v2/" + REPO + "/manifests/" + lie.digest(), registry.answers.get("GET /v2/" + REPO + "/manifests/" + real.digest()));
        registry.manifest(REPO, "latest", MediaTypes.OCI_INDEX, FakeRegistry.index(List.of(lie)));
        Node child = walk(WalkOptions.shallow(8), "latest", null).children().get(0);
        Finding f = assertInstanceOf(Finding.Mismatch.class, child.finding());
        assertEquals(lie.digest(), f.digest());
        assertTrue(f.message().contains("hashes to " + real.digest()));
    }

    @Test
    void reportsADockerContentDigestHeaderThatDisagreesWithTheBody() {
        Descriptor m = image("v1", 1, "dcd");
        MockResponse r = registry.answers.get("GET /v2/" + REPO + "/manifests/v1");
        registry.answers.put("GET /v2/" + REPO + "/manifests/v1", r.newBuilder().setHeader("Docker-Content-Digest", "sha256:" + "2".repeat(64)).build());
        Node root = walk(WalkOptions.shallow(8), "v1", null);
        assertTrue(assertInstanceOf(Finding.Mismatch.class, root.finding()).message().startsWith("Docker-Content-Digest says sha256:2222"));
        assertEquals(m.digest(), root.digest());
    }

    @Test
    void reportsALayerWhoseHeadSizeDiffersAndOneThatIsMissing() {
        Descriptor config = registry.blob(REPO, bytes("{}"), MediaTypes.OCI_CONFIG);
        Descriptor short1 = registry.blob(REPO, bytes("twelve bytes"), MediaTypes.OCI_LAYER_GZIP);
        Descriptor claimed = new Descriptor(MediaTypes.OCI_LAYER_GZIP, short1.digest(), 99, List.of(), null, java.util.Map.of(), null);
        Descriptor missing = Descriptor.of(MediaTypes.OCI_LAYER_GZIP, Digest.parse("sha256:" + "3".repeat(64)), 5);
        registry.manifest(REPO, "v2", MediaTypes.OCI_MANIFEST, FakeRegistry.image(config, List.of(claimed, missing)));
        Node root = walk(WalkOptions.shallow(8), "v2", null);
        assertEquals("the registry reports 12 bytes, the manifest says 99", root.children().get(1).finding().message());
        assertInstanceOf(Finding.Missing.class, root.children().get(2).finding());
        assertEquals(Node.Status.BROKEN, root.worst());
    }

    @Test
    void deepWalkHashesWhatItStreams() {
        Descriptor config = registry.blob(REPO, bytes("{}"), MediaTypes.OCI_CONFIG);
        Descriptor layer = registry.blob(REPO, bytes("original"), MediaTypes.OCI_LAYER_GZIP);
        registry.answers.put("GET /v2/" + REPO + "/blobs/" + layer.digest(), new MockResponse.Builder().code(200).body("corrupt!").build());
        registry.manifest(REPO, "v3", MediaTypes.OCI_MANIFEST, FakeRegistry.image(config, List.of(layer)));
        assertEquals(Node.Status.OK, walk(WalkOptions.shallow(8), "v3", null).worst());
        Node deep = walk(new WalkOptions(true, List.of(), false, 8), "v3", null);
        assertTrue(deep.children().get(1).finding().message().startsWith("the content hashes to"), deep.toString());
    }

    @Test
    void turnsAnHtmlPageFromAProxyIntoAFinding() {
        registry.answers.put("GET /v2/" + REPO + "/manifests/latest", new MockResponse.Builder().code(200)
                .setHeader("Content-Type", "text/html").body("<html><h1>Login required</h1></html>").build());
        Node root = walk(WalkOptions.shallow(8), "latest", null);
        assertTrue(root.finding().message().contains("an HTML page, not a manifest"), root.toString());
        assertEquals(Node.Status.BROKEN, root.status());
    }

    @Test
    void refusesAManifestOverFourMebibytesWithoutReadingIt() {
        registry.answers.put("GET /v2/" + REPO + "/manifests/big", new MockResponse.Builder().code(200)
                .setHeader("Content-Type", MediaTypes.OCI_MANIFEST).body(new okio.Buffer().write(new byte[5 * 1024 * 1024])).build());
        Node root = walk(WalkOptions.shallow(8), "big", null);
        assertTrue(root.finding().message().contains("over the 4 MiB limit"), root.toString());
    }

    @Test
    void callsASchema1ManifestUnsupported() {
        registry.answers.put("GET /v2/" + REPO + "/manifests/old", new MockResponse.Builder().code(200)
                .setHeader("Content-Type", MediaTypes.DOCKER_SCHEMA1_SIGNED).body("{\"schemaVersion\":1}").build());
        Node root = walk(WalkOptions.shallow(8), "old", null);
        assertTrue(assertInstanceOf(Finding.Unsupported.class, root.finding()).message().contains("unsupported and deprecated"));
    }

    @Test
    void retriesA503AndDoesNotRetryA404() {
        Descriptor m = image("v4", 1, "retry");
        MockResponse ok = registry.answers.get("GET /v2/" + REPO + "/manifests/v4");
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        server.setDispatcher(new mockwebserver3.Dispatcher() {
            @Override
            public MockResponse dispatch(mockwebserver3.RecordedRequest request) throws InterruptedException {
                if (request.getUrl().encodedPath().endsWith("/manifests/v4") && n.incrementAndGet() <= 2) {
                    return new MockResponse.Builder().code(503).setHeader("Retry-After", "0").build();
                }
                return registry.dispatch(request);
            }
        });
        Node root = walk(WalkOptions.shallow(8), "v4", null);
        assertEquals(Node.Status.OK, root.worst(), root::toString);
        assertEquals(m.digest(), root.digest());
        assertEquals(3, n.get());
        Node missing = walk(WalkOptions.shallow(8), "nope", null);
        assertInstanceOf(Finding.Missing.class, missing.finding());
        assertEquals(1, registry.hits("GET /v2/" + REPO + "/manifests/nope"));
    }

    @Test
    void reportsATagThatResolvesToAnotherDigestThanThePushedOne() {
        image("v5", 1, "moved");
        Digest pushed = Digest.parse("sha256:" + "4".repeat(64));
        Node root = walk(WalkOptions.shallow(8), "v5", pushed);
        Finding f = assertInstanceOf(Finding.Mismatch.class, root.finding());
        assertEquals(pushed.toString(), f.digest());
        assertTrue(f.message().contains("not the pushed " + pushed));
    }

    @Test
    void usesTheReferrersApiWhenTheRegistryHasIt() {
        Descriptor subject = image("v6", 1, "subject");
        Descriptor sbom = image(null, 1, "sbom");
        Descriptor listed = new Descriptor(MediaTypes.OCI_MANIFEST, sbom.digest(), sbom.size(), List.of(), null, java.util.Map.of(), "application/spdx+json");
        registry.answers.put("GET /v2/" + REPO + "/referrers/" + subject.digest(), new MockResponse.Builder().code(200)
                .setHeader("Content-Type", MediaTypes.OCI_INDEX).body("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX
                        + "\",\"manifests\":[{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + sbom.digest() + "\",\"size\":" + sbom.size()
                        + ",\"artifactType\":\"application/spdx+json\"}]}").build());
        Node root = walk(new WalkOptions(false, List.of(), true, 8), "v6", null);
        Node referrers = root.children().stream().filter(c -> c.kind() == Node.Kind.REFERRERS).findFirst().orElseThrow();
        assertEquals("referrers (referrers API)", referrers.label());
        assertEquals(listed.digest(), referrers.children().get(0).digest());
        assertEquals(Node.Status.OK, root.worst());
    }
}
