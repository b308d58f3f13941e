package io.longshore.verify.registry;

import io.longshore.kit.wait.Deadline;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Set;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;

/**
 * Retries idempotent requests on 429, 5xx and connection errors with {@link Backoff}, honouring
 * {@code Retry-After}, and never past the job's {@link Deadline}. A 404 or any other answer is
 * returned as it is: a missing blob is a finding, not something to retry.
 *
 * <p>Requests tagged {@link BufferBody} (manifests, token answers: small) have their body read
 * inside the retry loop, so a reset or a truncated body is retried like a failed connection.
 */
public final class RetryInterceptor implements Interceptor {
    private static final Set<Integer> RETRYABLE = Set.of(429, 500, 502, 503, 504);

    /** Tag: read the body (up to {@code limit} bytes + 1) before the response leaves the retry loop. */
    public record BufferBody(long limit) {}

    /** Tag: a probe whose failure the caller handles at once (the HTTPS attempt before falling back to HTTP). */
    public record NoRetry() {}

    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final int retries;
    private final Backoff backoff;
    private final Deadline deadline;
    private final Sleeper sleeper;

    public RetryInterceptor(int retries, Backoff backoff, Deadline deadline) {
        this(retries, backoff, deadline, d -> Thread.sleep(d.toMillis()));
    }

    public RetryInterceptor(int retries, Backoff backoff, Deadline deadline, Sleeper sleeper) {
        this.retries = retries;
        this.backoff = backoff;
        this.deadline = deadline;
        this.sleeper = sleeper;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        boolean idempotent = (request.method().equals("GET") || request.method().equals("HEAD")) && request.tag(NoRetry.class) == null;
        BufferBody buffer = request.tag(BufferBody.class);
        for (int attempt = 0; ; attempt++) {
            Response response = null;
            IOException failure = null;
            try {
                response = chain.proceed(request);
                if (buffer != null && response.isSuccessful()) {
                    response = buffered(response, buffer.limit());
                }
            } catch (IOException e) {
                failure = e;
            }
            boolean retryable = idempotent && (failure != null ? retryable(failure, chain) : RETRYABLE.contains(response.code()));
            if (!retryable || attempt >= retries) {
                if (failure != null) {
                    throw failure;
                }
                return response;
            }
            Duration wait = backoff.delay(attempt, failure == null ? retryAfter(response) : null);
            if (wait.compareTo(deadline.remaining()) >= 0) {
                if (failure != null) {
                    throw failure;
                }
                return response;
            }
            if (response != null) {
                response.close();
            }
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting to retry");
            }
        }
    }

    private static boolean retryable(IOException e, Chain chain) {
        if (chain.call().isCanceled()) {
            return false;
        }
        // TLS that fails (an untrusted certificate, or no TLS at all) or a name that does not resolve
        // will not change in a second.
        if (e instanceof javax.net.ssl.SSLException || e instanceof UnknownHostException) {
            return false;
        }
        // okhttp's call timeout (our deadline) surfaces as a bare InterruptedIOException "timeout".
        return !(e.getClass() == InterruptedIOException.class);
    }

    /** The most a {@code Retry-After} is honoured for: beyond it, the job's deadline decides. */
    static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);

    static Duration retryAfter(Response response) {
        return retryAfter(response.header("Retry-After"), java.time.Instant.now());
    }

    /**
     * A {@code Retry-After} value (RFC 9110 10.2.3: delay-seconds, or an HTTP-date), as a wait from
     * {@code now}: a date already past is no wait, either form is capped at {@link #MAX_RETRY_AFTER},
     * and a value that is neither is null (the backoff alone decides).
     */
    static Duration retryAfter(String value, java.time.Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        Duration wait;
        if (v.chars().allMatch(Character::isDigit)) {
            try {
                wait = Duration.ofSeconds(Long.parseLong(v));
            } catch (NumberFormatException e) {
                wait = MAX_RETRY_AFTER; // more digits than a long: a very long time
            }
        } else {
            try {
                wait = Duration.between(now, ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            } catch (java.time.format.DateTimeParseException e) {
                return null;
            }
        }
        return wait.isNegative() ? Duration.ZERO : wait.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : wait;
    }

    private static Response buffered(Response response, long limit) throws IOException {
        ResponseBody body = response.body();
        long declared = body.contentLength();
        if (declared > limit) {
            return response;
        }
        MediaType type = body.contentType();
        Buffer buf = new Buffer();
        try (response) {
            BufferedSource source = body.source();
            while (buf.size() <= limit && source.read(buf, 64 * 1024) != -1) {
                // reading; the limit stops an endless body
            }
        }
        return response.newBuilder().body(ResponseBody.create(buf.readByteString(), type)).build();
    }
}
