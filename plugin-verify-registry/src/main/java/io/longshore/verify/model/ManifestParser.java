package io.longshore.verify.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a manifest body and its Content-Type into a {@link Document}, checking what
 * go-containerregistry's validate checks before a walk: the JSON shape, the media type the body
 * claims against the one the registry served, and every descriptor's fields.
 */
public final class ManifestParser {
    /** Registries refuse manifests over 4 MiB (distribution's limit); so do we. */
    public static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
    }

    private ManifestParser() {}

    public static Document parse(byte[] body, String contentType) {
        String served = MediaTypes.essence(contentType);
        if (body.length > MAX_MANIFEST_BYTES) {
            return new Document.Invalid("manifest is " + body.length + " bytes, over the 4 MiB limit");
        }
        if (MediaTypes.isSchema1(served)) {
            return new Document.Schema1(served);
        }
        if (body.length == 0) {
            return new Document.Invalid("empty body" + servedAs(served));
        }
        String head = new String(body, 0, Math.min(body.length, 64), StandardCharsets.UTF_8).stripLeading().toLowerCase();
        if ("text/html".equals(served) || head.startsWith("<")) {
            return new Document.Invalid("an HTML page, not a manifest" + servedAs(served) + " (a proxy or login page answered)");
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            return new Document.Invalid("malformed JSON" + servedAs(served) + ": " + firstLine(e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            return new Document.Invalid("not a JSON object" + servedAs(served));
        }
        JsonNode schemaVersion = root.get("schemaVersion");
        if (schemaVersion != null && schemaVersion.isIntegralNumber() && schemaVersion.asInt() == 1) {
            return new Document.Schema1(served == null ? MediaTypes.DOCKER_SCHEMA1 : served);
        }
        if (schemaVersion == null || !schemaVersion.isIntegralNumber() || schemaVersion.asLong() != 2) {
            return new Document.Invalid("schemaVersion is " + (schemaVersion == null ? "missing" : schemaVersion.toString()) + ", not 2");
        }
        String declared = null;
        JsonNode mt = root.get("mediaType");
        if (mt != null && !mt.isNull()) {
            if (!mt.isTextual()) {
                return new Document.Invalid("mediaType is not a string");
            }
            declared = mt.asText();
        }
        if (declared != null && served != null && MediaTypes.isManifest(served) && !declared.equals(served)) {
            return new Document.Invalid("the body's mediaType " + declared + " contradicts the Content-Type " + served);
        }
        boolean hasManifests = root.has("manifests");
        boolean hasConfig = root.has("config") || root.has("layers");
        if (hasManifests && hasConfig) {
            return new Document.Invalid("has both manifests and config/layers: neither an index nor an image manifest");
        }
        String type = declared;
        if (type == null) {
            type = served != null && MediaTypes.isManifest(served) ? served
                    : hasManifests ? MediaTypes.OCI_INDEX : hasConfig ? MediaTypes.OCI_MANIFEST : null;
        }
        if (type == null) {
            return new Document.Invalid("neither an index nor an image manifest (no mediaType, manifests or config)" + servedAs(served));
        }
        try {
            if (MediaTypes.isIndex(type)) {
                if (hasConfig) {
                    return new Document.Invalid("mediaType says index (" + type + ") but the body has config/layers");
                }
                return new Document.OfIndex(new Index(type, descriptors(root, "manifests", true), optionalDescriptor(root, "subject")));
            }
            if (MediaTypes.isImageManifest(type)) {
                if (hasManifests) {
                    return new Document.Invalid("mediaType says image manifest (" + type + ") but the body has manifests");
                }
                return new Document.OfManifest(new Manifest(type, descriptor(root.get("config"), "config"),
                        descriptors(root, "layers", false), optionalDescriptor(root, "subject"), text(root, "artifactType")));
            }
        } catch (BadField e) {
            return new Document.Invalid(e.getMessage());
        }
        return new Document.Invalid("mediaType " + type + " is not a manifest type this tool knows");
    }

    private static String servedAs(String served) {
        return served == null ? "" : " (served as " + served + ")";
    }

    private static List<Descriptor> descriptors(JsonNode root, String field, boolean withPlatform) throws BadField {
        JsonNode arr = root.get(field);
        if (arr == null || !arr.isArray()) {
            throw new BadField(field + " is " + (arr == null ? "missing" : "not an array"));
        }
        List<Descriptor> out = new ArrayList<>(arr.size());
        for (int i = 0; i < arr.size(); i++) {
            out.add(descriptor(arr.get(i), field + "[" + i + "]"));
        }
        return out;
    }

    private static Descriptor optionalDescriptor(JsonNode root, String field) throws BadField {
        JsonNode n = root.get(field);
        return n == null || n.isNull() ? null : descriptor(n, field);
    }

    static Descriptor descriptor(JsonNode n, String where) throws BadField {
        if (n == null || !n.isObject()) {
            throw new BadField(where + " is " + (n == null ? "missing" : "not an object"));
        }
        JsonNode mediaType = n.get("mediaType");
        JsonNode digest = n.get("digest");
        JsonNode size = n.get("size");
        if (mediaType == null || !mediaType.isTextual()) {
            throw new BadField(where + ".mediaType is missing or not a string");
        }
        if (digest == null || !digest.isTextual()) {
            throw new BadField(where + ".digest is missing or not a string");
        }
        if (size == null || !size.isIntegralNumber() || !size.canConvertToLong()) {
            throw new BadField(where + ".size is " + (size == null ? "missing" : size.isIntegralNumber()
                    ? "absurd (" + abbreviate(size.asText()) + ")" : "not a whole number"));
        }
        List<String> urls = new ArrayList<>();
        JsonNode u = n.get("urls");
        if (u != null && u.isArray()) {
            u.forEach(x -> urls.add(x.asText()));
        }
        Platform platform = null;
        JsonNode p = n.get("platform");
        if (p != null && p.isObject()) {
            platform = new Platform(p.path("os").asText(null), p.path("architecture").asText(null), p.path("variant").asText(null));
        }
        Map<String, String> annotations = new LinkedHashMap<>();
        JsonNode a = n.get("annotations");
        if (a != null && a.isObject()) {
            a.properties().forEach(e -> annotations.put(e.getKey(), e.getValue().asText()));
        }
        return new Descriptor(mediaType.asText(), digest.asText(), size.asLong(), urls, platform, annotations, text(n, "artifactType"));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    private static String abbreviate(String s) {
        return s.length() > 24 ? s.substring(0, 21) + "..." : s;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        String line = s.lines().findFirst().orElse(s);
        return line.length() > 120 ? line.substring(0, 117) + "..." : line;
    }

    static final class BadField extends Exception {
        BadField(String message) {
            super(message, null, false, false);
        }
    }
}
