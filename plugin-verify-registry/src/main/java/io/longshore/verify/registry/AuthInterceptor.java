package io.longshore.verify.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The registry auth challenge flow in one place (distribution's token auth spec): a 401 with
 * {@code WWW-Authenticate: Basic} is answered with the credentials; with {@code Bearer realm,
 * service, scope} a token is fetched from the realm (with the credentials, or anonymously) and
 * cached per scope. Later requests for the same scope carry the cached token up front; a 401
 * despite it refreshes it once. A 401 that remains is returned to the caller: credentials refused.
 */
public final class AuthInterceptor implements Interceptor {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Token(String value, Instant expires) {
        boolean fresh() {
            return Instant.now().isBefore(expires);
        }
    }

    private final Credentials credentials;
    private final OkHttpClient tokenClient;
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final AtomicInteger fetched = new AtomicInteger();
    private volatile boolean basicAccepted;
    private volatile String lastRefusal;

    /** @param tokenClient the client that fetches tokens: the same pool, without this interceptor */
    public AuthInterceptor(Credentials credentials, OkHttpClient tokenClient) {
        this.credentials = credentials;
        this.tokenClient = tokenClient;
    }

    public int tokensFetched() {
        return fetched.get();
    }

    /** Why the last credentials were refused, as a sentence for the user (no secrets). */
    public String lastRefusal() {
        return lastRefusal;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        String key = scopeKey(request);
        Token known = tokens.get(key);
        Request first = request;
        if (known != null && known.fresh()) {
            first = withBearer(request, known.value());
        } else if (basicAccepted && credentials != null) {
            first = request.newBuilder().header("Authorization", credentials.basicHeader()).build();
        }
        Response response = chain.proceed(first);
        if (response.code() != 401) {
            return response;
        }
        Challenge challenge = Challenge.pick(response.headers("WWW-Authenticate")).orElse(null);
        if (challenge == null) {
            return response;
        }
        if (challenge.scheme().equals("basic")) {
            if (credentials == null) {
                lastRefusal = "the registry asks for credentials (Basic) and none are set";
                return response;
            }
            if (first.header("Authorization") != null && first.header("Authorization").startsWith("Basic ")) {
                lastRefusal = "the registry refused the credentials of " + credentials.username();
                return response;
            }
            response.close();
            Response retried = chain.proceed(request.newBuilder().header("Authorization", credentials.basicHeader()).build());
            if (retried.code() == 401) {
                lastRefusal = "the registry refused the credentials of " + credentials.username();
            } else {
                basicAccepted = true;
            }
            return retried;
        }
        if (!challenge.scheme().equals("bearer") || challenge.param("realm") == null) {
            return response;
        }
        String sentToken = first.header("Authorization");
        Token token = refresh(key, challenge, sentToken);
        if (token == null) {
            return response;
        }
        response.close();
        Response retried = chain.proceed(withBearer(request, token.value()));
        if (retried.code() == 401) {
            lastRefusal = "the registry refused the token for " + scopeText(challenge, key)
                    + (credentials == null ? " (no credentials set)" : " of " + credentials.username());
        }
        return retried;
    }

    /** One fetch per scope at a time: requests that all got a 401 together share the new token. */
    private Token refresh(String key, Challenge challenge, String sentAuthorization) throws IOException {
        ReentrantLock lock = locks.computeIfAbsent(key, k -> new ReentrantLock());
        lock.lock();
        try {
            Token current = tokens.get(key);
            if (current != null && current.fresh() && !Objects.equals(sentAuthorization, "Bearer " + current.value())) {
                return current;
            }
            Token token = fetch(challenge, key);
            if (token != null) {
                tokens.put(key, token);
            }
            return token;
        } finally {
            lock.unlock();
        }
    }

    private Token fetch(Challenge challenge, String key) throws IOException {
        HttpUrl realm = HttpUrl.parse(challenge.param("realm"));
        if (realm == null) {
            lastRefusal = "the registry's token realm is not a URL";
            return null;
        }
        HttpUrl.Builder url = realm.newBuilder();
        if (challenge.param("service") != null) {
            url.addQueryParameter("service", challenge.param("service"));
        }
        String scope = challenge.param("scope") != null ? challenge.param("scope") : key.isEmpty() ? null : key;
        if (scope != null) {
            for (String s : scope.trim().split("\\s+")) {
                url.addQueryParameter("scope", s);
            }
        }
        Request.Builder req = new Request.Builder().url(url.build()).tag(RetryInterceptor.BufferBody.class,
                new RetryInterceptor.BufferBody(1024 * 1024));
        if (credentials != null) {
            url.addQueryParameter("account", credentials.username());
            req.url(url.build()).header("Authorization", credentials.basicHeader());
        }
        try (Response r = tokenClient.newCall(req.build()).execute()) {
            if (r.code() == 401 || r.code() == 403) {
                lastRefusal = "the token server " + realm.host() + ":" + realm.port() + " refused "
                        + (credentials == null ? "an anonymous request" : "the credentials of " + credentials.username())
                        + " for " + scopeText(challenge, key) + " (HTTP " + r.code() + ")";
                return null;
            }
            if (!r.isSuccessful()) {
                lastRefusal = "the token server " + realm.host() + ":" + realm.port() + " answered HTTP " + r.code();
                return null;
            }
            JsonNode body = JSON.readTree(r.body().string());
            String value = body.path("token").asText(body.path("access_token").asText(""));
            if (value.isEmpty()) {
                lastRefusal = "the token server answered without a token";
                return null;
            }
            long ttl = body.path("expires_in").asLong(60);
            fetched.incrementAndGet();
            // Refresh a little early so a token does not expire between attach and arrival.
            return new Token(value, Instant.now().plus(Duration.ofSeconds(Math.max(10, ttl) - 5)));
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            lastRefusal = "the token server's answer is not JSON";
            return null;
        }
    }

    private static String scopeText(Challenge c, String key) {
        String s = c.param("scope") != null ? c.param("scope") : key;
        return s == null || s.isEmpty() ? "the registry" : "scope " + s;
    }

    private static Request withBearer(Request r, String token) {
        return r.newBuilder().header("Authorization", "Bearer " + token).build();
    }

    /** The scope a request needs: repository:NAME:pull for reads, registry:catalog:* for the catalog. */
    static String scopeKey(Request request) {
        var segments = request.url().pathSegments();
        if (segments.size() >= 2 && segments.get(0).equals("v2") && segments.get(1).equals("_catalog")) {
            return "registry:catalog:*";
        }
        int verb = -1;
        for (int i = segments.size() - 2; i >= 2; i--) {
            String s = segments.get(i);
            if (s.equals("manifests") || s.equals("blobs") || s.equals("tags") || s.equals("referrers")) {
                verb = i;
                break;
            }
        }
        if (segments.isEmpty() || !segments.get(0).equals("v2") || verb < 2) {
            return "";
        }
        String name = String.join("/", segments.subList(1, verb));
        boolean read = request.method().equals("GET") || request.method().equals("HEAD");
        return "repository:" + name + (read ? ":pull" : ":pull,push");
    }
}
