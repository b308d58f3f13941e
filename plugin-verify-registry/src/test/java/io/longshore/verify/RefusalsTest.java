package io.longshore.verify;

import io.longshore.kit.run.Plugin;
import io.longshore.testenv.RefusalsContract;
import java.util.List;
import java.util.Map;
import java.util.Set;

class RefusalsTest extends RefusalsContract {
    @Override
    protected Plugin plugin() {
        return new VerifyRegistryCommand();
    }

    /** A repository on a port nothing listens on, so a value wrongly accepted fails fast with exit 3. */
    @Override
    protected Map<String, String> baseline() {
        return Map.of("PLUGIN_REPO", "127.0.0.1:9/team/app", "PLUGIN_RETRIES", "0", "PLUGIN_TIMEOUT", "2s");
    }

    @Override
    protected List<Refusal> refusals() {
        return List.of(
                new Refusal("PLUGIN_CA_CERT", "/nonexistent/ca.pem"),
                new Refusal("PLUGIN_DIGEST", "sha256:abc"),
                new Refusal("PLUGIN_DIGEST", "md5:" + "0".repeat(32)),
                new Refusal("PLUGIN_DIGEST", "sha256:" + "0".repeat(64), Map.of("PLUGIN_DIGEST_FILE", "jib-image.digest")),
                new Refusal("PLUGIN_DIGEST_FILE", "/nonexistent/jib-image.digest"),
                new Refusal("PLUGIN_DOCKER_CONFIG", "{not json"),
                new Refusal("PLUGIN_PLATFORMS", "linux"),
                new Refusal("PLUGIN_PUSHGATEWAY", "not a url"),
                new Refusal("PLUGIN_REGISTRY", "bad host!"),
                new Refusal("PLUGIN_REGISTRY", "", Map.of("PLUGIN_MODE", "probe", "PLUGIN_REPO", "")),
                new Refusal("PLUGIN_REPO", "Team/App"),
                new Refusal("PLUGIN_REPO", "team/app:1.0"),
                new Refusal("PLUGIN_TAGS", "bad tag!"));
    }

    /**
     * Names and output paths take any value; username and password are refused only as a pair,
     * and the refusal then names the one that is missing.
     */
    @Override
    protected Set<String> acceptsAnyValue() {
        return Set.of("PLUGIN_USERNAME", "PLUGIN_PASSWORD", "PLUGIN_METRICS_FILE");
    }
}
