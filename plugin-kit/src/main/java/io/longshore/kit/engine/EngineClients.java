package io.longshore.kit.engine;

import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.transport.SSLConfig;
import io.longshore.kit.output.Events;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** Builds engine clients honouring {@code DOCKER_HOST}, {@code DOCKER_TLS_VERIFY} and {@code DOCKER_CERT_PATH}. */
public final class EngineClients {
    public static final String DEFAULT_HOST = "unix:///var/run/docker.sock";

    private EngineClients() {}

    /** Where and how to reach an engine, read the way the Docker CLI reads it. */
    public record EngineConfig(String host, boolean tlsVerify, Path certPath, String apiVersion) {
        public static EngineConfig from(Map<String, String> env) {
            String host = nonBlank(env.get("DOCKER_HOST"));
            String tls = nonBlank(env.get("DOCKER_TLS_VERIFY"));
            // The CLI treats any non-empty DOCKER_TLS_VERIFY as "verify" (even "0" in older releases); be explicit.
            boolean verify = tls != null && !tls.equals("0") && !tls.equalsIgnoreCase("false");
            String certs = nonBlank(env.get("DOCKER_CERT_PATH"));
            Path certPath = certs != null ? Path.of(certs)
                    : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".docker");
            return new EngineConfig(host == null ? DEFAULT_HOST : host, verify, certPath,
                    nonBlank(env.get("DOCKER_API_VERSION")));
        }
    }

    public static Engine connect(EngineConfig config) {
        // TLS is set on the transport with the kit's own PEM reader (PemTls); docker-java's would
        // need BouncyCastle, which is kept out of the images.
        DefaultDockerClientConfig.Builder b = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(config.host())
                .withDockerTlsVerify(false);
        if (config.apiVersion() != null) {
            b.withApiVersion(config.apiVersion());
        }
        DefaultDockerClientConfig dc = b.build();
        DockerHttpClient apache = new ApacheDockerHttpClient.Builder()
                .dockerHost(URI.create(dc.getDockerHost().toString()))
                .sslConfig(sslConfig(config))
                .maxConnections(64)
                .connectionTimeout(Duration.ofSeconds(10))
                .build();
        // docker-java's own calls (exec, ping) go through the tolerance layer too: one choke point
        TolerantTransport http = new TolerantTransport(apache, config.host(), TolerantTransport.Policy.standard(),
                new Outages(config.host(), Events.none(), Clock.systemUTC()));
        return new Engine(DockerClientImpl.getInstance(dc, http), http, config.host());
    }

    /**
     * The engine's TLS: the CLI's PEM files when verifying; for a socket, a context made only if
     * ever used (never); for plain {@code tcp://}, none (docker-java then speaks HTTP).
     */
    static SSLConfig sslConfig(EngineConfig config) {
        if (config.tlsVerify()) {
            return new PemTls(config.certPath());
        }
        String host = config.host();
        return host.startsWith("unix://") || host.startsWith("npipe://") ? new TlsOnFirstUse() : null;
    }

    private static String nonBlank(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
