package io.longshore.verify.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.longshore.kit.settings.Secret;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Credentials from a docker {@code config.json} document: the {@code auths} entry for a registry,
 * as {@code auth} (base64 user:password) or {@code username}/{@code password}. Credential helpers
 * are programs this image does not carry: they are reported, not run.
 */
public final class DockerConfig {
    private static final ObjectMapper JSON = new ObjectMapper();

    public record Lookup(Optional<Credentials> credentials, List<String> notes) {}

    private DockerConfig() {}

    /** Throws IllegalArgumentException (a sentence without any secret) when the document is not a docker config. */
    public static Lookup find(String document, String registryHost, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(document);
        } catch (Exception e) {
            throw new IllegalArgumentException("is not a JSON document (a docker config.json is expected)");
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("is not a JSON object (a docker config.json is expected)");
        }
        List<String> notes = new ArrayList<>();
        JsonNode auths = root.path("auths");
        String wanted = normalise(registryHost);
        for (Iterator<Map.Entry<String, JsonNode>> it = auths.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!normalise(e.getKey()).equals(wanted)) {
                continue;
            }
            JsonNode entry = e.getValue();
            String user = entry.path("username").asText("");
            String pass = entry.path("password").asText("");
            String auth = entry.path("auth").asText("");
            if (!auth.isEmpty()) {
                String decoded;
                try {
                    decoded = new String(Base64.getDecoder().decode(auth.trim()), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException bad) {
                    throw new IllegalArgumentException("has an auths entry for " + e.getKey() + " whose auth is not base64");
                }
                int colon = decoded.indexOf(':');
                if (colon <= 0) {
                    throw new IllegalArgumentException("has an auths entry for " + e.getKey() + " whose auth is not user:password");
                }
                user = decoded.substring(0, colon);
                pass = decoded.substring(colon + 1);
            }
            if (!user.isEmpty() && !pass.isEmpty()) {
                return new Lookup(Optional.of(new Credentials(user, new Secret(pass), source)), notes);
            }
            if (entry.has("identitytoken")) {
                notes.add(source + " holds an identity token for " + e.getKey() + "; only user/password entries are used");
            }
        }
        if (root.path("credHelpers").has(registryHost) || root.has("credsStore")) {
            notes.add(source + " names a credential helper; helpers are not run by this image, set username/password instead");
        }
        return new Lookup(Optional.empty(), notes);
    }

    /** docker login writes keys as host, https://host, or https://index.docker.io/v1/ for Docker Hub. */
    static String normalise(String key) {
        String k = key.toLowerCase(Locale.ROOT).trim();
        k = k.replaceFirst("^[a-z]+://", "");
        int slash = k.indexOf('/');
        if (slash >= 0) {
            k = k.substring(0, slash);
        }
        return switch (k) {
            case "index.docker.io", "registry-1.docker.io", "docker.io", "registry.hub.docker.com" -> "docker.io";
            default -> k;
        };
    }
}
