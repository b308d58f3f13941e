package io.longshore.kit.engine.model;

import com.fasterxml.jackson.databind.JsonNode;

/** A port a service publishes ({@code Endpoint.Ports}) or a container exposes on the host ({@code Ports}). */
public record PublishedPort(int published, int target, String protocol, String mode) {
    public static PublishedPort ofService(JsonNode n) {
        return new PublishedPort(n.path("PublishedPort").asInt(0), n.path("TargetPort").asInt(0),
                Json.textOr(n, "Protocol", "tcp"), Json.textOr(n, "PublishMode", "ingress"));
    }

    /** A container's port; {@code published} is 0 when it is not bound on the host. */
    public static PublishedPort ofContainer(JsonNode n) {
        return new PublishedPort(n.path("PublicPort").asInt(0), n.path("PrivatePort").asInt(0), Json.textOr(n, "Type", "tcp"), "host");
    }

    public boolean hostMode() {
        return "host".equals(mode);
    }

    @Override
    public String toString() {
        return published + ":" + target + "/" + protocol + (hostMode() ? " (host)" : "");
    }
}
