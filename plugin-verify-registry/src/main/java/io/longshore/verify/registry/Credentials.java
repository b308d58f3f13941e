package io.longshore.verify.registry;

import io.longshore.kit.settings.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A user name and password (or token) for one registry, and where they came from (never the value). */
public record Credentials(String username, Secret password, String source) {
    public String basicHeader() {
        String pair = username + ":" + password.reveal();
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return username + " (" + source + ")";
    }
}
