package io.longshore.verify.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.longshore.kit.output.Masker;
import io.longshore.kit.settings.Secret;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

class AuthInterceptorTest {
    /** A registry and token server in one: tokens are "t-<scope>-<n>"; a revoked token gets a 401 once. */
    static final class TokenRegistry extends Dispatcher {
        final AtomicInteger issued = new AtomicInteger();
        final ConcurrentHashMap<String, Boolean> revoked = new ConcurrentHashMap<>();
        String realm;

        @Override
        public MockResponse dispatch(RecordedRequest r) {
            HttpUrl url = r.getUrl();
            if (url.encodedPath().equals("/token")) {
                if (!"Basic dTpw".equals(r.getHeaders().get("Authorization"))) {
                    return new MockResponse.Builder().code(401).build();
                }
                String scope = String.join(" ", url.queryParameterValues("scope").stream().map(String::valueOf).toList());
                return new MockResponse.Builder().code(200).body("{\"token\":\"t-" + scope.replace(':', '_') + "-" + issued.incrementAndGet() + "\",\"expires_in\":300}").build();
            }
            String repo = url.pathSegments().get(1) + "/" + url.pathSegments().get(2);
            String scope = "repository:" + repo + ":pull";
            String auth = r.getHeaders().get("Authorization");
            String expected = "Bearer t-" + scope.replace(':', '_') + "-";
            if (auth == null || !auth.startsWith(expected) || revoked.remove(auth) != null) {
                return new MockResponse.Builder().code(401).setHeader("WWW-Authenticate",
                        "Bearer realm=\"" + realm + "\",service=\"test\",scope=\"" + scope + "\"").build();
            }
            return new MockResponse.Builder().code(200).body("ok").build();
        }
    }

    @Test
    void fetchesOneTokenPerScopeCachesItAndRefreshesItOnA401() throws Exception {
        TokenRegistry reg = new TokenRegistry();
        try (MockWebServer server = new MockWebServer()) {
            server.setDispatcher(reg);
            server.start();
            reg.realm = server.url("/token").toString();
            Masker masker = new Masker();
            OkHttpClient base = new OkHttpClient.Builder().addNetworkInterceptor(new SecretMaskingInterceptor(masker)).build();
            AuthInterceptor auth = new AuthInterceptor(new Credentials("u", new Secret("p"), "test"), base);
            OkHttpClient client = base.newBuilder().addInterceptor(auth).build();
            for (String repo : List.of("a/one", "a/one", "a/one", "b/two", "b/two")) {
                try (Response r = client.newCall(new Request.Builder().url(server.url("/v2/" + repo + "/blobs/x")).build()).execute()) {
                    assertEquals(200, r.code());
                }
            }
            assertEquals(2, reg.issued.get(), "one token per repository scope");
            reg.revoked.put("Bearer t-repository_a/one_pull-1", true);
            try (Response r = client.newCall(new Request.Builder().url(server.url("/v2/a/one/blobs/y")).build()).execute()) {
                assertEquals(200, r.code());
            }
            assertEquals(3, reg.issued.get(), "a refused token is refreshed once");
            String masked = masker.mask("token t-repository_a/one_pull-3 in a message");
            assertFalse(masked.contains("t-repository_a/one_pull-3"), masked);
        }
    }

    @Test
    void returnsThe401AndSaysWhyWhenTheTokenServerRefusesTheCredentials() throws Exception {
        TokenRegistry reg = new TokenRegistry();
        try (MockWebServer server = new MockWebServer()) {
            server.setDispatcher(reg);
            server.start();
            reg.realm = server.url("/token").toString();
            OkHttpClient base = new OkHttpClient();
            AuthInterceptor auth = new AuthInterceptor(new Credentials("u", new Secret("wrong"), "test"), base);
            OkHttpClient client = base.newBuilder().addInterceptor(auth).build();
            try (Response r = client.newCall(new Request.Builder().url(server.url("/v2/a/one/manifests/latest")).build()).execute()) {
                assertEquals(401, r.code());
            }
            assertTrue(auth.lastRefusal().contains("refused the credentials of u for scope repository:a/one:pull"), auth.lastRefusal());
        }
    }

    @Test
    void parsesChallengesWithQuotedCommas() {
        Challenge c = Challenge.pick(List.of("Basic realm=\"x\"", "Bearer realm=\"https://auth.example/token\",service=\"reg,istry\",scope=\"repository:a/b:pull\""))
                .orElseThrow();
        assertEquals("bearer", c.scheme());
        assertEquals("reg,istry", c.param("service"));
        assertEquals("repository:a/b:pull", c.param("scope"));
    }

    @Test
    void honoursRetryAfterInSecondsAndAsADate() {
        var r = new Response.Builder().request(new Request.Builder().url("http://x/").build()).protocol(okhttp3.Protocol.HTTP_1_1)
                .code(429).message("slow down").header("Retry-After", "7").build();
        assertEquals(Duration.ofSeconds(7), RetryInterceptor.retryAfter(r));
        Duration backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5)).delay(0, Duration.ofSeconds(7));
        assertTrue(backoff.compareTo(Duration.ofSeconds(7)) >= 0, backoff.toString());
    }
}
