package io.longshore.verify.registry;

import io.longshore.verify.model.Digest;
import java.util.List;

/** What the registry answered, as values: a 404 or a reset connection is data for the walker. */
public final class Reply {
    private Reply() {}

    /** A transport failure after retries: {@code unreachable} for no answer at all, else a broken answer. */
    public record Failure(String reason, boolean unreachable, boolean untrustedCertificate) {}

    public sealed interface ManifestReply {}

    public record ManifestBody(int status, String contentType, String dockerContentDigest, byte[] body) implements ManifestReply {}

    public record ManifestTooLarge(long bytes) implements ManifestReply {}

    public record ManifestStatus(int status, String message) implements ManifestReply {}

    public record ManifestFailed(Failure failure) implements ManifestReply {}

    public sealed interface BlobReply {}

    /** HEAD: status and what the headers say. */
    public record BlobHead(int status, long contentLength, String dockerContentDigest) implements BlobReply {}

    /** GET: what the streamed body was, hashed on the way. {@code error} when the stream broke. */
    public record BlobRead(int status, long contentLength, long bytesRead, Digest computed, String error) implements BlobReply {}

    public record BlobFailed(Failure failure) implements BlobReply {}

    public sealed interface PageReply {}

    public record Page(List<String> items, String next) implements PageReply {}

    public record PageStatus(int status, String message) implements PageReply {}

    public record PageFailed(Failure failure) implements PageReply {}

    public sealed interface PingReply {}

    public record Reachable(String scheme) implements PingReply {}

    public record Refused(int status, String reason) implements PingReply {}

    public record NotARegistry(int status) implements PingReply {}

    public record NoAnswer(Failure failure) implements PingReply {}
}
