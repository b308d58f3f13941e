package io.longshore.verify.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ManifestParserTest {
    static final String D1 = "sha256:" + "a".repeat(64);
    static final String D2 = "sha256:" + "b".repeat(64);

    static Document parse(String body, String contentType) {
        return ManifestParser.parse(body.getBytes(StandardCharsets.UTF_8), contentType);
    }

    static String reason(Document d) {
        return assertInstanceOf(Document.Invalid.class, d).reason();
    }

    @Test
    void parsesAnOciIndexWithPlatformsAndAttestationAnnotations() {
        Document d = parse("""
                {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[
                 {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":500,"platform":{"os":"linux","architecture":"arm64","variant":"v8"}},
                 {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":400,"platform":{"os":"unknown","architecture":"unknown"},
                  "annotations":{"vnd.docker.reference.type":"attestation-manifest","vnd.docker.reference.digest":"%s"}}]}
                """.formatted(D1, D2, D1), MediaTypes.OCI_INDEX);
        Index index = assertInstanceOf(Document.OfIndex.class, d).index();
        assertEquals(2, index.manifests().size());
        assertEquals("linux/arm64/v8", index.manifests().get(0).platform().toString());
        assertTrue(index.manifests().get(1).isAttestation());
        assertEquals(D1, index.manifests().get(1).attests());
    }

    @Test
    void parsesADockerManifestWithoutAMediaTypeFieldFromItsContentType() {
        Document d = parse("""
                {"schemaVersion":2,"config":{"mediaType":"application/vnd.docker.container.image.v1+json","digest":"%s","size":7},
                 "layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","digest":"%s","size":9}]}
                """.formatted(D1, D2), MediaTypes.DOCKER_MANIFEST + "; charset=utf-8");
        Manifest m = assertInstanceOf(Document.OfManifest.class, d).manifest();
        assertEquals(MediaTypes.DOCKER_MANIFEST, m.mediaType());
        assertEquals(9, m.layers().get(0).size());
    }

    @Test
    void callsSchema1UnsupportedWhetherByContentTypeOrBySchemaVersion() {
        assertInstanceOf(Document.Schema1.class, parse("{\"schemaVersion\":1,\"name\":\"x\",\"fsLayers\":[]}", "application/json"));
        assertInstanceOf(Document.Schema1.class, parse("{}", MediaTypes.DOCKER_SCHEMA1_SIGNED));
    }

    @Test
    void refusesAMediaTypeThatContradictsTheContentType() {
        String r = reason(parse("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{},\"layers\":[]}", MediaTypes.OCI_INDEX));
        assertTrue(r.contains("contradicts the Content-Type"), r);
    }

    @Test
    void recognisesAnHtmlErrorPageFromAProxy() {
        String r = reason(parse("<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html; charset=utf-8"));
        assertTrue(r.startsWith("an HTML page, not a manifest"), r);
        assertTrue(reason(parse("  <!DOCTYPE html><html>", null)).startsWith("an HTML page"));
    }

    @Test
    void describesMalformedJsonInOneLine() {
        String r = reason(parse("{\"schemaVersion\":2,\"manifests\":[", MediaTypes.OCI_INDEX));
        assertTrue(r.startsWith("malformed JSON"), r);
        assertTrue(!r.contains("\n"), r);
        assertTrue(reason(parse("[1,2]", null)).startsWith("not a JSON object"));
        assertTrue(reason(parse("", MediaTypes.OCI_INDEX)).startsWith("empty body"));
    }

    @Test
    void refusesAbsurdAndMissingSizes() {
        String absurd = reason(parse("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[{\"mediaType\":\""
                + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + D1 + "\",\"size\":123456789012345678901234567890}]}", null));
        assertTrue(absurd.contains("manifests[0].size is absurd"), absurd);
        String missing = reason(parse("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"x\",\"digest\":\"" + D1 + "\"},\"layers\":[]}", null));
        assertTrue(missing.contains("config.size is missing"), missing);
        String text = reason(parse("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"x\",\"digest\":\"" + D1 + "\",\"size\":\"7\"},\"layers\":[]}", null));
        assertTrue(text.contains("not a whole number"), text);
    }

    @Test
    void keepsADescriptorWithABadDigestSoTheWalkCanNameIt() {
        Document d = parse("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"x\",\"digest\":\"md5:abc\",\"size\":7},\"layers\":["
                + "{\"mediaType\":\"x\",\"digest\":\"not-a-digest\",\"size\":-4}]}", MediaTypes.OCI_MANIFEST);
        Manifest m = assertInstanceOf(Document.OfManifest.class, d).manifest();
        assertTrue(m.config().problem().orElseThrow().contains("md5"), m.config().problem().toString());
        assertTrue(m.layers().get(0).problem().orElseThrow().contains("negative"));
    }

    @Test
    void refusesBodiesOverFourMebibytes() {
        byte[] big = new byte[ManifestParser.MAX_MANIFEST_BYTES + 1];
        assertTrue(reason(ManifestParser.parse(big, MediaTypes.OCI_INDEX)).contains("over the 4 MiB limit"));
    }

    @Test
    void refusesABodyThatIsBothIndexAndManifest() {
        assertTrue(reason(parse("{\"schemaVersion\":2,\"manifests\":[],\"config\":{},\"layers\":[]}", null)).contains("both manifests and config"));
        assertTrue(reason(parse("{\"schemaVersion\":3,\"manifests\":[]}", null)).contains("schemaVersion is 3"));
    }

    @Test
    void survivesDeeplyNestedJson() {
        String deep = "{\"schemaVersion\":2,\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        assertTrue(reason(parse(deep, null)).startsWith("malformed JSON"));
    }
}
