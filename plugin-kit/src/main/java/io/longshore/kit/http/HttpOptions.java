package io.longshore.kit.http;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How a plugin's HTTP client talks: timeouts, the user agent, and TLS trust ({@code insecure}
 * skips verification; {@code caCert} adds a PEM bundle to the system's trust anchors).
 */
public record HttpOptions(Duration connectTimeout, Duration readTimeout, Duration callTimeout, boolean insecure,
                          Path caCert, String userAgent) {

    public static HttpOptions defaults(String userAgent) {
        return new HttpOptions(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ZERO, false, null, userAgent);
    }

    public HttpOptions withTimeouts(Duration connect, Duration read, Duration call) {
        return new HttpOptions(connect, read, call, insecure, caCert, userAgent);
    }

    public HttpOptions withTls(boolean insecure, Path caCert) {
        return new HttpOptions(connectTimeout, readTimeout, callTimeout, insecure, caCert, userAgent);
    }
}
