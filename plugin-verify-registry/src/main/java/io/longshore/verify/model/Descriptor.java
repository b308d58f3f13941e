package io.longshore.verify.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A content descriptor as it appears in a manifest. The digest stays the text the manifest holds,
 * so that a malformed one can be reported as it was written; {@link #problem()} says what is wrong.
 */
public record Descriptor(String mediaType, String digest, long size, List<String> urls, Platform platform,
                         Map<String, String> annotations, String artifactType) {
    public static final String REFERENCE_TYPE = "vnd.docker.reference.type";
    public static final String REFERENCE_DIGEST = "vnd.docker.reference.digest";

    public Descriptor {
        urls = urls == null ? List.of() : List.copyOf(urls);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    public static Descriptor of(String mediaType, Digest digest, long size) {
        return new Descriptor(mediaType, digest.toString(), size, List.of(), null, Map.of(), null);
    }

    /** Why this descriptor cannot be checked as written, if it cannot. */
    public Optional<String> problem() {
        if (size < 0) {
            return Optional.of("size " + size + " is negative");
        }
        try {
            Digest d = Digest.parse(digest);
            if (!d.verifiable()) {
                return Optional.of("digest algorithm " + d.algorithm() + " is not one this tool can verify (sha256, sha512)");
            }
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
        return Optional.empty();
    }

    /** The parsed digest; call only when {@link #problem()} is empty. */
    public Digest parsedDigest() {
        return Digest.parse(digest);
    }

    /** A buildx attestation manifest (in-toto provenance or SBOM) for another child of the same index. */
    public boolean isAttestation() {
        return "attestation-manifest".equals(annotations.get(REFERENCE_TYPE));
    }

    public String attests() {
        return annotations.get(REFERENCE_DIGEST);
    }
}
