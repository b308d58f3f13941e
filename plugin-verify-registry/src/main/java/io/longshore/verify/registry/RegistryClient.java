package io.longshore.verify.registry;

import io.longshore.kit.wait.Deadline;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.longshore.verify.model.Digest;
import io.longshore.verify.model.ManifestParser;
import io.longshore.verify.model.MediaTypes;
import io.longshore.verify.registry.Reply.BlobFailed;
import io.longshore.verify.registry.Reply.BlobHead;
import io.longshore.verify.registry.Reply.BlobRead;
import io.longshore.verify.registry.Reply.BlobReply;
import io.longshore.verify.registry.Reply.Failure;
import io.longshore.verify.registry.Reply.ManifestBody;
import io.longshore.verify.registry.Reply.ManifestFailed;
import io.longshore.verify.registry.Reply.ManifestReply;
import io.longshore.verify.registry.Reply.ManifestStatus;
import io.longshore.verify.registry.Reply.ManifestTooLarge;
import io.longshore.verify.registry.Reply.Page;
import io.longshore.verify.registry.Reply.PageFailed;
import io.longshore.verify.registry.Reply.PageReply;
import io.longshore.verify.registry.Reply.PageStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The distribution API, fetch only: manifests, blob HEAD and streamed GET, referrers, tag and
 * catalog pages. Auth, retries and masking are the client's interceptors; every answer comes
 * back as a {@link Reply} value, never as an exception.
 */
public final class RegistryClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;[^,]*rel=\"?next\"?");

    private final OkHttpClient http;
    private final HttpUrl base;
    private final Deadline deadline;

    public RegistryClient(OkHttpClient http, HttpUrl base, Deadline deadline) {
        this.http = http;
        this.base = base;
        this.deadline = deadline;
    }

    public HttpUrl base() {
        return base;
    }

    HttpUrl url(String repo, String kind, String reference) {
        return base.newBuilder().addPathSegment("v2").addPathSegments(repo).addPathSegment(kind).addPathSegment(reference).build();
    }

    private Call call(Request request) {
        Call call = http.newCall(request);
        call.timeout().timeout(Math.max(1, deadline.remaining().toMillis()), TimeUnit.MILLISECONDS);
        return call;
    }

    public Reply.PingReply ping() {
        return ping(false);
    }

    /** {@code once}: no retries, and a short wait — a first guess at the scheme that may well be wrong. */
    public Reply.PingReply ping(boolean once) {
        Request.Builder b = new Request.Builder().url(base.newBuilder().addPathSegment("v2").addPathSegment("").build());
        if (once) {
            b.tag(RetryInterceptor.NoRetry.class, new RetryInterceptor.NoRetry());
        }
        Call call = call(b.build());
        if (once) {
            call.timeout().timeout(Math.max(1, Math.min(3000, deadline.remaining().toMillis())), TimeUnit.MILLISECONDS);
        }
        try (Response r = call.execute()) {
            if (r.isSuccessful()) {
                return new Reply.Reachable(base.scheme());
            }
            if (r.code() == 401 || r.code() == 403) {
                return new Reply.Refused(r.code(), null);
            }
            return new Reply.NotARegistry(r.code());
        } catch (IOException e) {
            return new Reply.NoAnswer(failure(e));
        }
    }

    public ManifestReply manifest(String repo, String reference) {
        return manifestAt(url(repo, "manifests", reference), MediaTypes.acceptHeader());
    }

    /** The OCI referrers API; a registry without it answers 404. */
    public ManifestReply referrers(String repo, Digest digest) {
        return manifestAt(url(repo, "referrers", digest.toString()), MediaTypes.OCI_INDEX);
    }

    private ManifestReply manifestAt(HttpUrl url, String accept) {
        Request req = new Request.Builder().url(url).header("Accept", accept)
                .tag(RetryInterceptor.BufferBody.class, new RetryInterceptor.BufferBody(ManifestParser.MAX_MANIFEST_BYTES)).build();
        try (Response r = call(req).execute()) {
            if (!r.isSuccessful()) {
                return new ManifestStatus(r.code(), statusText(r));
            }
            long declared = r.body().contentLength();
            if (declared > ManifestParser.MAX_MANIFEST_BYTES) {
                return new ManifestTooLarge(declared);
            }
            byte[] body = r.body().bytes();
            if (body.length > ManifestParser.MAX_MANIFEST_BYTES) {
                return new ManifestTooLarge(body.length);
            }
            return new ManifestBody(r.code(), r.header("Content-Type"), r.header("Docker-Content-Digest"), body);
        } catch (IOException e) {
            return new ManifestFailed(failure(e));
        }
    }

    public BlobReply head(String repo, Digest digest) {
        Request req = new Request.Builder().url(url(repo, "blobs", digest.toString())).head().build();
        try (Response r = call(req).execute()) {
            String length = r.header("Content-Length");
            long n = -1;
            try {
                n = length == null ? -1 : Long.parseLong(length.trim());
            } catch (NumberFormatException ignored) {
                // reported as a missing length
            }
            return new BlobHead(r.code(), n, r.header("Docker-Content-Digest"));
        } catch (IOException e) {
            return new BlobFailed(failure(e));
        }
    }

    /** GET and hash while streaming, with the descriptor's algorithm; never holds the blob in memory. */
    public BlobReply read(String repo, Digest digest) {
        Request req = new Request.Builder().url(url(repo, "blobs", digest.toString())).build();
        try (Response r = call(req).execute()) {
            if (!r.isSuccessful()) {
                return new BlobRead(r.code(), -1, 0, null, null);
            }
            MessageDigest md = digest.newHasher();
            long count = 0;
            String error = null;
            byte[] buf = new byte[64 * 1024];
            try (InputStream in = r.body().byteStream()) {
                for (int n; (n = in.read(buf)) != -1; ) {
                    md.update(buf, 0, n);
                    count += n;
                }
            } catch (IOException e) {
                if (e instanceof InterruptedIOException && !(e instanceof SocketTimeoutException)) {
                    return new BlobFailed(failure(e));
                }
                error = oneLine(e);
            }
            Digest computed = new Digest(digest.algorithm(), HexFormat.of().formatHex(md.digest()));
            return new BlobRead(r.code(), r.body().contentLength(), count, computed, error);
        } catch (IOException e) {
            return new BlobFailed(failure(e));
        }
    }

    public PageReply tags(String repo, int pageSize, String next) {
        HttpUrl url = next != null ? base.resolve(next)
                : base.newBuilder().addPathSegment("v2").addPathSegments(repo).addPathSegment("tags").addPathSegment("list")
                        .addQueryParameter("n", Integer.toString(pageSize)).build();
        return page(url, "tags");
    }

    public PageReply catalog(int pageSize, String next) {
        HttpUrl url = next != null ? base.resolve(next)
                : base.newBuilder().addPathSegment("v2").addPathSegment("_catalog").addQueryParameter("n", Integer.toString(pageSize)).build();
        return page(url, "repositories");
    }

    private PageReply page(HttpUrl url, String field) {
        if (url == null) {
            return new PageStatus(0, "the registry's Link header is not a URL");
        }
        Request req = new Request.Builder().url(url)
                .tag(RetryInterceptor.BufferBody.class, new RetryInterceptor.BufferBody(16L * 1024 * 1024)).build();
        try (Response r = call(req).execute()) {
            if (!r.isSuccessful()) {
                return new PageStatus(r.code(), statusText(r));
            }
            JsonNode body;
            try {
                body = JSON.readTree(r.body().bytes());
            } catch (com.fasterxml.jackson.core.JacksonException e) {
                return new PageStatus(r.code(), "the " + field + " list is not JSON");
            }
            List<String> items = new ArrayList<>();
            JsonNode arr = body == null ? null : body.get(field);
            if (arr != null && arr.isArray()) {
                arr.forEach(n -> items.add(n.asText()));
            }
            String next = null;
            String link = r.header("Link");
            if (link != null) {
                Matcher m = NEXT.matcher(link);
                if (m.find()) {
                    next = m.group(1);
                }
            }
            return new Page(items, items.isEmpty() ? null : next);
        } catch (IOException e) {
            return new PageFailed(failure(e));
        }
    }

    private static String statusText(Response r) {
        String msg = r.message();
        return "HTTP " + r.code() + (msg == null || msg.isBlank() ? "" : " " + msg);
    }

    static Failure failure(IOException e) {
        boolean unreachable = e instanceof ConnectException || e instanceof NoRouteToHostException
                || e instanceof UnknownHostException || e instanceof InterruptedIOException
                || e instanceof javax.net.ssl.SSLException;
        String why = e instanceof InterruptedIOException && !(e instanceof SocketTimeoutException)
                ? "no answer before the timeout" : oneLine(e);
        return new Failure(why, unreachable, untrusted(e));
    }

    private static boolean untrusted(Throwable e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof java.security.cert.CertificateException || t instanceof java.security.cert.CertPathValidatorException
                    || t instanceof javax.net.ssl.SSLPeerUnverifiedException) {
                return true;
            }
        }
        return false;
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage();
        String s = e.getClass().getSimpleName() + (m == null ? "" : ": " + m.lines().findFirst().orElse(""));
        return s.length() > 200 ? s.substring(0, 197) + "..." : s;
    }
}
