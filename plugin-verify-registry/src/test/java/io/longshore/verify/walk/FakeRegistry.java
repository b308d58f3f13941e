package io.longshore.verify.walk;

import io.longshore.verify.model.Descriptor;
import io.longshore.verify.model.Digest;
import io.longshore.verify.model.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/** A registry for MockWebServer: exact answers per path, counted, with the peak of requests in flight. */
final class FakeRegistry extends Dispatcher {
    final Map<String, MockResponse> answers = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger peak = new AtomicInteger();
    volatile long delayMs;

    @Override
    public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        int now = inFlight.incrementAndGet();
        peak.accumulateAndGet(now, Math::max);
        try {
            if (delayMs > 0) {
                Thread.sleep(delayMs);
            }
            String key = request.getMethod() + " " + request.getUrl().encodedPath();
            hits.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            if (request.getUrl().encodedPath().equals("/v2/")) {
                return new MockResponse.Builder().code(200).body("{}").build();
            }
            MockResponse r = answers.get(key);
            if (r == null && request.getMethod().equals("HEAD")) {
                MockResponse get = answers.get("GET " + request.getUrl().encodedPath());
                if (get != null) {
                    return get.newBuilder().body("").build();
                }
            }
            return r != null ? r : new MockResponse.Builder().code(404).body("{\"errors\":[{\"code\":\"UNKNOWN\"}]}").build();
        } finally {
            inFlight.decrementAndGet();
        }
    }

    int hits(String methodAndPath) {
        AtomicInteger n = hits.get(methodAndPath);
        return n == null ? 0 : n.get();
    }

    Descriptor blob(String repo, byte[] content, String mediaType) {
        Digest d = Digest.sha256(content);
        answers.put("HEAD /v2/" + repo + "/blobs/" + d, new MockResponse.Builder().code(200)
                .setHeader("Content-Length", content.length).setHeader("Docker-Content-Digest", d.toString()).build());
        answers.put("GET /v2/" + repo + "/blobs/" + d, new MockResponse.Builder().code(200).body(new okio.Buffer().write(content)).build());
        return Descriptor.of(mediaType, d, content.length);
    }

    Descriptor manifest(String repo, String tag, String mediaType, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Digest d = Digest.sha256(bytes);
        MockResponse r = new MockResponse.Builder().code(200).setHeader("Content-Type", mediaType)
                .setHeader("Docker-Content-Digest", d.toString()).body(body).build();
        answers.put("GET /v2/" + repo + "/manifests/" + d, r);
        if (tag != null) {
            answers.put("GET /v2/" + repo + "/manifests/" + tag, r);
        }
        return Descriptor.of(mediaType, d, bytes.length);
    }

    static String descriptorJson(Descriptor d) {
        return "{\"mediaType\":\"" + d.mediaType() + "\",\"digest\":\"" + d.digest() + "\",\"size\":" + d.size() + "}";
    }

    static String image(Descriptor config, List<Descriptor> layers) {
        return "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":" + descriptorJson(config) + ",\"layers\":["
                + String.join(",", layers.stream().map(FakeRegistry::descriptorJson).toList()) + "]}";
    }

    static String index(List<Descriptor> children) {
        return "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":["
                + String.join(",", children.stream().map(FakeRegistry::descriptorJson).toList()) + "]}";
    }
}
