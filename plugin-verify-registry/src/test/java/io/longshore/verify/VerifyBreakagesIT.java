package io.longshore.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.longshore.testenv.TestEnv;
import io.longshore.verify.fixture.PrivateRegistry;
import io.longshore.verify.fixture.RegistryFixture;
import io.longshore.verify.fixture.Storage;
import io.longshore.verify.model.Descriptor;
import io.longshore.verify.model.Digest;
import io.longshore.verify.model.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Images on the real anonymous registry, broken the ways registries really break. */
class VerifyBreakagesIT {
    @TempDir
    Path dir;
    String registry;
    RegistryFixture fixture;
    Storage storage;

    @BeforeEach
    void setUp() {
        registry = TestEnv.get("LONGSHORE_REGISTRY_ANON");
        fixture = new RegistryFixture(registry);
        storage = new Storage(Path.of(TestEnv.get("LONGSHORE_REGISTRY_ANON_ROOT")));
    }

    @org.junit.jupiter.api.AfterEach
    void removeWhatWasPushed() {
        fixture.deleteAll();
    }

    Run verify(String repo, Map<String, String> more) {
        var settings = new java.util.HashMap<>(Map.of("PLUGIN_REPO", registry + "/" + repo));
        settings.putAll(more);
        return Run.of(dir, settings);
    }

    @Test
    void verifiesAHandBuiltIndexWithAttestationChildrenAsIntact() {
        String repo = RegistryFixture.uniqueRepo("multi");
        var multi = fixture.pushIndex(repo, "latest", List.of("linux/amd64", "linux/arm64/v8"), 3, 2048, true);
        Run run = verify(repo, Map.of("PLUGIN_DIGEST", multi.index().digest().toString()));
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.stdout().contains("attestation of " + multi.images().get(0).manifest().digest().shortForm()), run::toString);
        assertTrue(run.stdout().contains("1 tag, 1 index, 4 manifests, 12 blobs"), run::toString);
        assertEquals("ok", run.report().path("outcome").asText());
        assertTrue(run.report().path("details").path("nodes").size() >= 17);
    }

    @Test
    void reportsMissingChildManifestOfIndex() {
        String repo = RegistryFixture.uniqueRepo("child");
        var multi = fixture.pushIndex(repo, "latest", List.of("linux/amd64", "linux/arm64"), 1, 1024, true);
        Digest child = multi.images().get(1).manifest().digest();
        fixture.deleteManifest(repo, child);
        Run run = verify(repo, Map.of());
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.stdout().contains(child + ": manifest not found (404)") || run.stdout().contains(child.toString()), run::toString);
        assertTrue(run.stdout().lines().reduce((a, b) -> b).orElse("").contains(child.toString()), "the closing sentence names the digest\n" + run);
    }

    @Test
    void deepWalkCatchesALayerWhoseDataIsGoneThoughHeadStillAnswers() throws Exception {
        String repo = RegistryFixture.uniqueRepo("gone");
        var image = fixture.pushImage(repo, "latest", "linux/amd64", 2, 64 * 1024);
        Digest layer = image.layers().get(1).parsedDigest();
        storage.deleteData(layer);
        Run deep = verify(repo, Map.of("PLUGIN_DEEP", "true"));
        assertEquals(1, deep.exitCode(), deep::toString);
        assertTrue(deep.stdout().contains(layer.toString()), deep::toString);
        assertTrue(deep.report().toString().contains(layer.toString()));
    }

    @Test
    void deepWalkCatchesACorruptedBlob() throws Exception {
        String repo = RegistryFixture.uniqueRepo("corrupt");
        var image = fixture.pushImage(repo, "latest", "linux/amd64", 2, 32 * 1024);
        Digest layer = image.layers().get(0).parsedDigest();
        storage.corrupt(layer);
        Run shallow = verify(repo, Map.of());
        assertEquals(0, shallow.exitCode(), "HEAD cannot see corruption of the same length\n" + shallow);
        Run deep = verify(repo, Map.of("PLUGIN_DEEP", "true"));
        assertEquals(1, deep.exitCode(), deep::toString);
        assertTrue(deep.stdout().contains(layer + "  32.0 KiB  broken: the content hashes to"), deep::toString);
    }

    @Test
    void reportsATagMovedAfterTheDigestWasRecorded() throws Exception {
        String repo = RegistryFixture.uniqueRepo("moved");
        var first = fixture.pushImage(repo, "latest", "linux/amd64", 1, 1024);
        Files.createDirectories(dir.resolve("target"));
        Files.writeString(dir.resolve("target/jib-image.digest"), first.manifest().digest().toString());
        assertEquals(0, verify(repo, Map.of("PLUGIN_DIGEST_FILE", "target/jib-image.digest")).exitCode());
        var second = fixture.pushImage(repo, "latest", "linux/amd64", 1, 1024);
        Run run = verify(repo, Map.of("PLUGIN_DIGEST_FILE", "target/jib-image.digest"));
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.stdout().contains("resolves to " + second.manifest().digest() + ", not the pushed " + first.manifest().digest()), run::toString);
    }

    @Test
    void readsTagsFromTheWorkspaceTagsFile() throws Exception {
        String repo = RegistryFixture.uniqueRepo("tagsfile");
        var image = fixture.pushImage(repo, "1.0", "linux/amd64", 1, 1024);
        fixture.pushManifest(repo, "1", MediaTypes.OCI_MANIFEST, image.manifest().body());
        Files.writeString(dir.resolve(".tags"), "1.0,1\n");
        Run run = verify(repo, Map.of());
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.stdout().contains("tags 1.0, 1 (from " + dir.resolve(".tags") + ")"), run::toString);
        assertTrue(run.stdout().contains("2 tags, 0 indexes, 1 manifest, 2 blobs (2 shared)"), run::toString);
    }

    @Test
    void walksOnlyTheChosenPlatformsAndTheirAttestations() {
        String repo = RegistryFixture.uniqueRepo("platforms");
        var multi = fixture.pushIndex(repo, "latest", List.of("linux/amd64", "linux/arm64/v8", "linux/arm/v7"), 1, 1024, true);
        fixture.deleteManifest(repo, multi.images().get(0).manifest().digest());
        Run run = verify(repo, Map.of("PLUGIN_PLATFORMS", "linux/arm64"));
        assertEquals(0, run.exitCode(), "the broken amd64 child is not walked\n" + run);
        assertTrue(run.stdout().contains("2 manifests"), run::toString);
        assertTrue(run.stdout().contains("linux/amd64  " + multi.images().get(0).manifest().digest() + "  OCI manifest  skipped: not in platforms"), run::toString);
    }

    @Test
    void walksReferrersThroughTheTagSchemaAndReportsAMissingOne() {
        String repo = RegistryFixture.uniqueRepo("referrers");
        var image = fixture.pushImage(repo, "latest", "linux/amd64", 1, 1024);
        Descriptor empty = fixture.pushBlob(repo, MediaTypes.OCI_EMPTY, "{}".getBytes(StandardCharsets.UTF_8));
        Descriptor sbom = fixture.pushBlob(repo, "application/spdx+json", RegistryFixture.random(300));
        byte[] artifact = RegistryFixture.imageManifest(MediaTypes.OCI_MANIFEST, empty, List.of(sbom), image.manifest().descriptor(), "application/spdx+json");
        var pushedArtifact = fixture.pushManifest(repo, null, MediaTypes.OCI_MANIFEST, artifact);
        Descriptor listed = new Descriptor(MediaTypes.OCI_MANIFEST, pushedArtifact.descriptor().digest(), artifact.length, List.of(), null, Map.of(), "application/spdx+json");
        byte[] referrers = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":["
                + RegistryFixture.descriptorJson(listed, null, null) + "]}").getBytes(StandardCharsets.UTF_8);
        fixture.pushManifest(repo, image.manifest().digest().referrersTag(), MediaTypes.OCI_INDEX, referrers);

        Run run = verify(repo, Map.of("PLUGIN_REFERRERS", "true"));
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.stdout().contains("referrers (tag " + image.manifest().digest().referrersTag() + ")"), run::toString);
        assertTrue(run.stdout().contains("referrer application/spdx+json  " + pushedArtifact.digest()), run::toString);

        fixture.deleteManifest(repo, pushedArtifact.digest());
        Run broken = verify(repo, Map.of("PLUGIN_REFERRERS", "true"));
        assertEquals(1, broken.exitCode(), broken::toString);
        assertTrue(broken.stdout().contains(pushedArtifact.digest() + ": manifest not found (404)")
                || broken.stdout().contains(pushedArtifact.digest().toString()), broken::toString);
    }

    @Test
    void reportsChildrenThatGarbageCollectionDeletedFromUnderATaggedIndex() throws Exception {
        Path own = Files.createDirectories(dir.resolve("gc-registry"));
        try (PrivateRegistry reg = new PrivateRegistry(own)) {
            RegistryFixture f = new RegistryFixture(reg.hostPort());
            String repo = RegistryFixture.uniqueRepo("gc");
            var multi = f.pushIndex(repo, "latest", List.of("linux/amd64", "linux/arm64"), 2, 4096, true);
            Map<String, String> settings = Map.of("PLUGIN_REPO", reg.hostPort() + "/" + repo);
            assertEquals(0, Run.of(dir, settings).exitCode());
            reg.garbageCollectUntagged();
            Run run = Run.of(dir, settings);
            assertEquals(1, run.exitCode(), run::toString);
            String child = multi.images().get(0).manifest().digest().toString();
            assertTrue(run.stdout().contains(child), run::toString);
            assertTrue(run.report().path("details").path("nodes").toString().contains(child));
        }
    }

    @Test
    void verifiesAnImagePushedByDockerAndDetectsItsDeletion() throws Exception {
        String repo = RegistryFixture.uniqueRepo("docker");
        String ref = registry + "/" + repo + ":1.0";
        Docker.run("tag", TestEnv.testImage(), ref);
        try {
            Docker.run("push", "-q", ref);
        } finally {
            Docker.run("rmi", ref);
        }
        Run run = verify(repo, Map.of("PLUGIN_TAGS", "1.0", "PLUGIN_DEEP", "true"));
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.stdout().contains("Docker manifest"), run::toString);
        Run missing = verify(repo, Map.of("PLUGIN_TAGS", "2.0"));
        assertEquals(1, missing.exitCode(), missing::toString);
        assertTrue(missing.stdout().contains("tag 2.0 not found (404)"), missing::toString);
    }
}
