package io.longshore.verify.plan;

import io.longshore.verify.registry.Endpoint;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where the image lives: the registry and the repository path in it, from {@code repo} (which may
 * start with the registry host, as drone-docker's does) and {@code registry}.
 */
public record Target(Endpoint endpoint, String repository) {
    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");

    /** Throws IllegalArgumentException with a sentence naming the problem. */
    public static Target parse(String repo, String registry) {
        String r = repo.trim();
        if (r.contains("://")) {
            r = r.substring(r.indexOf("://") + 3);
        }
        if (r.contains("@")) {
            throw new IllegalArgumentException("'" + repo + "' includes a digest; put the repository in repo and the digest in digest");
        }
        String host = null;
        String path = r;
        int slash = r.indexOf('/');
        if (slash > 0) {
            String first = r.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost") || first.startsWith("[")) {
                host = first;
                path = r.substring(slash + 1);
            }
        }
        int lastSlash = path.lastIndexOf('/');
        if (path.indexOf(':', lastSlash + 1) >= 0) {
            throw new IllegalArgumentException("'" + repo + "' includes a tag; put the repository in repo and the tags in tags");
        }
        Endpoint endpoint;
        if (registry != null && !registry.isBlank()) {
            endpoint = Endpoint.parse(registry);
            if (host != null && !Endpoint.parse(host).name().equals(endpoint.name())) {
                throw new IllegalArgumentException("'" + repo + "' names the registry " + host + " but registry is " + registry
                        + "; set one of them, or the same host in both");
            }
        } else {
            endpoint = Endpoint.parse(host != null ? host : "docker.io");
        }
        if (endpoint.dockerHub() && !path.contains("/")) {
            path = "library/" + path;
        }
        for (String component : path.split("/", -1)) {
            if (!COMPONENT.matcher(component).matches()) {
                throw new IllegalArgumentException("'" + repo + "' is not a repository name: '" + component
                        + "' must be lowercase letters and digits, separated by . _ __ or -");
            }
        }
        if (path.length() > 255) {
            throw new IllegalArgumentException("'" + repo + "' is longer than the 255 characters a repository name may have");
        }
        return new Target(endpoint, path.toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return endpoint.name() + "/" + repository;
    }
}
