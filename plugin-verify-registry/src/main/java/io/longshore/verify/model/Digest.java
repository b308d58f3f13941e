package io.longshore.verify.model;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A content digest, {@code algorithm:encoded} as the OCI image-spec defines it. Any well-formed
 * digest parses; only the registered algorithms sha256 and sha512 can be verified.
 */
public record Digest(String algorithm, String encoded) {
    private static final Pattern ALGORITHM = Pattern.compile("[a-z0-9]+(?:[+._-][a-z0-9]+)*");
    private static final Pattern ENCODED = Pattern.compile("[a-zA-Z0-9=_-]+");
    private static final Pattern HEX64 = Pattern.compile("[a-f0-9]{64}");
    private static final Pattern HEX128 = Pattern.compile("[a-f0-9]{128}");

    /** Parses and checks the form; throws IllegalArgumentException with a sentence a user can act on. */
    public static Digest parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("a digest is empty; use sha256:<64 hex digits>");
        }
        int colon = text.indexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("'" + shorten(text) + "' is not a digest; use sha256:<64 hex digits>");
        }
        String algorithm = text.substring(0, colon);
        String encoded = text.substring(colon + 1);
        if (!ALGORITHM.matcher(algorithm).matches() || !ENCODED.matcher(encoded).matches()) {
            throw new IllegalArgumentException("'" + shorten(text) + "' is not a digest of the form algorithm:encoded; use sha256:<64 hex digits>");
        }
        if (algorithm.equals("sha256") && !HEX64.matcher(encoded).matches()) {
            throw new IllegalArgumentException("'" + shorten(text) + "' is not a sha256 digest: it needs 64 lowercase hex digits");
        }
        if (algorithm.equals("sha512") && !HEX128.matcher(encoded).matches()) {
            throw new IllegalArgumentException("'" + shorten(text) + "' is not a sha512 digest: it needs 128 lowercase hex digits");
        }
        return new Digest(algorithm, encoded);
    }

    public static Optional<Digest> tryParse(String text) {
        try {
            return Optional.of(parse(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public static Digest sha256(byte[] content) {
        return of("sha256", content);
    }

    public static Digest of(String algorithm, byte[] content) {
        MessageDigest md = hasher(algorithm);
        return new Digest(algorithm, HexFormat.of().formatHex(md.digest(content)));
    }

    /** Whether this tool can verify content against it (the algorithms the image-spec registers). */
    public boolean verifiable() {
        return algorithm.equals("sha256") || algorithm.equals("sha512");
    }

    public MessageDigest newHasher() {
        return hasher(algorithm);
    }

    public Digest recompute(byte[] content) {
        return of(algorithm, content);
    }

    private static MessageDigest hasher(String algorithm) {
        try {
            return MessageDigest.getInstance(switch (algorithm) {
                case "sha256" -> "SHA-256";
                case "sha512" -> "SHA-512";
                default -> throw new IllegalArgumentException("digest algorithm " + algorithm + " cannot be verified; sha256 and sha512 can");
            });
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The tag the OCI referrers tag schema uses for this digest: {@code sha256-<hex>}. */
    public String referrersTag() {
        return algorithm + "-" + encoded;
    }

    /** sha256:0123456789ab — enough to tell digests apart in a tree. */
    public String shortForm() {
        return algorithm + ":" + encoded.substring(0, Math.min(12, encoded.length()));
    }

    @Override
    public String toString() {
        return algorithm + ":" + encoded;
    }

    private static String shorten(String s) {
        String oneLine = s.replaceAll("\\s+", " ");
        return oneLine.length() > 80 ? oneLine.substring(0, 77) + "..." : oneLine;
    }
}
