package io.longshore.verify.registry;

import java.util.Locale;

/**
 * A registry as a user names it ({@code docker.io}, {@code registry.example.com:5000},
 * {@code http://10.0.0.5:5000}) and where its API answers. Without a scheme the API is HTTPS;
 * plain HTTP is used only for an explicit {@code http://}, or — like dockerd's insecure-registry
 * fallback — when HTTPS finds no TLS at all on a loopback host or with {@code insecure}.
 */
public record Endpoint(String name, String apiHost, String scheme) {

    public static Endpoint parse(String text) {
        String t = text.trim();
        String scheme = null;
        String lower = t.toLowerCase(Locale.ROOT);
        if (lower.startsWith("https://")) {
            scheme = "https";
            t = t.substring(8);
        } else if (lower.startsWith("http://")) {
            scheme = "http";
            t = t.substring(7);
        }
        while (t.endsWith("/")) {
            t = t.substring(0, t.length() - 1);
        }
        if (t.isEmpty() || t.contains("/") || !t.matches("[A-Za-z0-9.\\-]+(:[0-9]{1,5})?|\\[[0-9a-fA-F:]+\\](:[0-9]{1,5})?")) {
            throw new IllegalArgumentException("'" + text + "' is not a registry host; use host[:port], e.g. registry.example.com:5000");
        }
        String name = t.toLowerCase(Locale.ROOT);
        String api = switch (name) {
            case "docker.io", "index.docker.io", "registry-1.docker.io" -> "registry-1.docker.io";
            default -> name;
        };
        if (api.equals("registry-1.docker.io")) {
            name = "docker.io";
        }
        return new Endpoint(name, api, scheme);
    }

    public boolean loopback() {
        String host = hostOnly();
        return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1");
    }

    public boolean dockerHub() {
        return name.equals("docker.io");
    }

    private String hostOnly() {
        if (apiHost.startsWith("[")) {
            return apiHost.substring(0, apiHost.indexOf(']') + 1);
        }
        int colon = apiHost.indexOf(':');
        return colon >= 0 ? apiHost.substring(0, colon) : apiHost;
    }

    public String url(String useScheme) {
        return useScheme + "://" + apiHost + "/";
    }

    @Override
    public String toString() {
        return scheme == null ? name : scheme + "://" + name;
    }
}
