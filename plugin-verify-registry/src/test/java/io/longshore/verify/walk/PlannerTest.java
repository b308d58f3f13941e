package io.longshore.verify.walk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.longshore.verify.model.Descriptor;
import io.longshore.verify.model.Index;
import io.longshore.verify.model.Manifest;
import io.longshore.verify.model.MediaTypes;
import io.longshore.verify.model.Platform;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlannerTest {
    static String d(char c) {
        return "sha256:" + String.valueOf(c).repeat(64);
    }

    static Descriptor child(char c, String platform) {
        return new Descriptor(MediaTypes.OCI_MANIFEST, d(c), 100, List.of(), platform == null ? null : Platform.parse(platform), Map.of(), null);
    }

    static Descriptor attestation(char c, char of) {
        return new Descriptor(MediaTypes.OCI_MANIFEST, d(c), 100, List.of(), Platform.parse("unknown/unknown"),
                Map.of(Descriptor.REFERENCE_TYPE, "attestation-manifest", Descriptor.REFERENCE_DIGEST, d(of)), null);
    }

    static final Descriptor AMD = child('a', "linux/amd64");
    static final Descriptor ARM = child('b', "linux/arm64");
    static final Descriptor ATT_AMD = attestation('c', 'a');
    static final Descriptor ATT_ARM = attestation('d', 'b');

    @Test
    void walksEveryChildOfAnIndexAttestationsIncluded() {
        List<Step> steps = Planner.plan(new Index(MediaTypes.OCI_INDEX, List.of(AMD, ARM, ATT_AMD, ATT_ARM), null), d('0'), WalkOptions.shallow(8));
        assertEquals(4, steps.stream().filter(s -> s instanceof Step.WalkManifest).count());
        assertEquals("attestation of sha256:aaaaaaaaaaaa", steps.get(2).label());
        assertEquals("linux/arm64", steps.get(1).label());
    }

    @Test
    void walksOnlyTheChosenPlatformsAndTheAttestationsOfThose() {
        WalkOptions arm = new WalkOptions(false, List.of(Platform.parse("linux/arm64/v8")), false, 8);
        List<Step> steps = Planner.plan(new Index(MediaTypes.OCI_INDEX, List.of(AMD, ARM, ATT_AMD, ATT_ARM), null), d('0'), arm);
        assertInstanceOf(Step.Skip.class, steps.get(0));
        assertInstanceOf(Step.WalkManifest.class, steps.get(1));
        assertInstanceOf(Step.Skip.class, steps.get(2));
        assertInstanceOf(Step.WalkManifest.class, steps.get(3));
        assertEquals(Finding.Severity.INFO, ((Step.Skip) steps.get(0)).finding().severity());
    }

    @Test
    void reportsButDoesNotFailAChildOfUnknownMediaType() {
        Descriptor future = new Descriptor("application/vnd.example.future.v9+json", d('e'), 10, List.of(), null, Map.of(), null);
        Step s = Planner.plan(new Index(MediaTypes.OCI_INDEX, List.of(future), null), d('0'), WalkOptions.shallow(8)).get(0);
        Finding f = assertInstanceOf(Step.Skip.class, s).finding();
        assertEquals(Finding.Severity.INFO, f.severity());
        assertTrue(f.message().contains("forward compatibility"), f.message());
    }

    @Test
    void failsAnIndexThatListsItselfOrAnInvalidOrOversizedChild() {
        Descriptor self = child('f', "linux/amd64");
        Descriptor badDigest = new Descriptor(MediaTypes.OCI_MANIFEST, "sha256:nothex", 10, List.of(), null, Map.of(), null);
        Descriptor huge = new Descriptor(MediaTypes.OCI_MANIFEST, d('9'), 1L << 40, List.of(), null, Map.of(), null);
        Descriptor schema1 = new Descriptor(MediaTypes.DOCKER_SCHEMA1_SIGNED, d('8'), 10, List.of(), null, Map.of(), null);
        List<Step> steps = Planner.plan(new Index(MediaTypes.OCI_INDEX, List.of(self, badDigest, huge, schema1), null), d('f'), WalkOptions.shallow(8));
        for (Step s : steps) {
            assertEquals(Finding.Severity.BROKEN, assertInstanceOf(Step.Skip.class, s).finding().severity(), s.toString());
        }
        assertTrue(((Step.Skip) steps.get(0)).finding().message().contains("lists itself"));
        assertInstanceOf(Finding.Unsupported.class, ((Step.Skip) steps.get(3)).finding());
    }

    @Test
    void checksConfigAndLayersButSkipsNonDistributableLayersWithUrls() {
        Descriptor config = Descriptor.of(MediaTypes.OCI_CONFIG, io.longshore.verify.model.Digest.parse(d('1')), 5);
        Descriptor layer = Descriptor.of(MediaTypes.OCI_LAYER_GZIP, io.longshore.verify.model.Digest.parse(d('2')), 50);
        Descriptor foreign = new Descriptor("application/vnd.docker.image.rootfs.foreign.diff.tar.gzip", d('3'), 999, List.of("https://mcr.microsoft.com/l/x"), null, Map.of(), null);
        Descriptor sha512 = new Descriptor(MediaTypes.OCI_LAYER_GZIP, "sha512:" + "4".repeat(128), 7, List.of(), null, Map.of(), null);
        Descriptor unknownAlgo = new Descriptor(MediaTypes.OCI_LAYER_GZIP, "md5:" + "4".repeat(32), 7, List.of(), null, Map.of(), null);
        List<Step> steps = Planner.plan(new Manifest(MediaTypes.OCI_MANIFEST, config, List.of(layer, foreign, sha512, unknownAlgo), null, null), d('0'));
        assertEquals(Node.Kind.CONFIG, assertInstanceOf(Step.CheckBlob.class, steps.get(0)).kind());
        assertEquals("layer 1", steps.get(1).label());
        assertTrue(assertInstanceOf(Step.Skip.class, steps.get(2)).finding().message().startsWith("non-distributable layer"));
        assertInstanceOf(Step.CheckBlob.class, steps.get(3));
        assertInstanceOf(Finding.Malformed.class, assertInstanceOf(Step.Skip.class, steps.get(4)).finding());
    }
}
