package io.longshore.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.longshore.testenv.TestEnv;
import io.longshore.verify.fixture.RegistryFixture;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Basic, Bearer-token and TLS registries: the credentials work, wrong ones end in exit 3, and no output shows a password. */
class VerifyAuthIT {
    @TempDir
    java.nio.file.Path dir;
    final java.util.List<RegistryFixture> fixtures = new java.util.ArrayList<>();

    @org.junit.jupiter.api.AfterEach
    void removeWhatWasPushed() {
        fixtures.forEach(RegistryFixture::deleteAll);
    }

    RegistryFixture fixture(String reg, String user, String password) {
        RegistryFixture f = new RegistryFixture(reg, user, password);
        fixtures.add(f);
        return f;
    }

    static Map<String, String> settings(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void verifiesOnABasicAuthRegistryAndRefusesAWrongPasswordWithExit3() {
        String reg = TestEnv.get("LONGSHORE_REGISTRY_BASIC");
        String user = TestEnv.get("LONGSHORE_REGISTRY_BASIC_USER");
        String password = TestEnv.get("LONGSHORE_REGISTRY_BASIC_PASSWORD");
        String repo = RegistryFixture.uniqueRepo("basic");
        fixture(reg, user, password).pushIndex(repo, "latest", List.of("linux/amd64"), 2, 1024, true);

        Run ok = Run.of(dir, settings("PLUGIN_REPO", reg + "/" + repo, "PLUGIN_USERNAME", user, "PLUGIN_PASSWORD", password));
        assertEquals(0, ok.exitCode(), ok::toString);
        assertFalse(ok.everything().contains(password));

        String wrong = password + "-wrong";
        Run refused = Run.of(dir, settings("PLUGIN_REPO", reg + "/" + repo, "PLUGIN_USERNAME", user, "PLUGIN_PASSWORD", wrong));
        assertEquals(3, refused.exitCode(), refused::toString);
        assertTrue(refused.stdout().contains("refused the credentials of " + user), refused::toString);
        assertFalse(refused.everything().contains(wrong));
        assertFalse(refused.everything().contains(Base64.getEncoder().encodeToString((user + ":" + wrong).getBytes(StandardCharsets.UTF_8))));

        Run anonymous = Run.of(dir, settings("PLUGIN_REPO", reg + "/" + repo));
        assertEquals(3, anonymous.exitCode(), anonymous::toString);
    }

    @Test
    void takesCredentialsFromADockerConfigDocumentOrTheHomeDockerConfig() throws Exception {
        String reg = TestEnv.get("LONGSHORE_REGISTRY_BASIC");
        String user = TestEnv.get("LONGSHORE_REGISTRY_BASIC_USER");
        String password = TestEnv.get("LONGSHORE_REGISTRY_BASIC_PASSWORD");
        String repo = RegistryFixture.uniqueRepo("dockercfg");
        fixture(reg, user, password).pushImage(repo, "latest", "linux/amd64", 1, 1024);
        String auth = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        String config = "{\"auths\":{\"http://" + reg + "\":{\"auth\":\"" + auth + "\"}}}";
        Run run = Run.of(dir, settings("PLUGIN_REPO", reg + "/" + repo, "PLUGIN_DOCKER_CONFIG", config));
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.stdout().contains("auth " + user + " (docker_config)"), run::toString);
        assertFalse(run.everything().contains(password));
        assertFalse(run.everything().contains(auth));

        java.nio.file.Files.createDirectories(dir.resolve(".docker"));
        java.nio.file.Files.writeString(dir.resolve(".docker/config.json"),
                "{\"auths\":{\"" + reg + "\":{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}}}");
        Run fromHome = Run.of(dir, settings("PLUGIN_REPO", reg + "/" + repo));
        assertEquals(0, fromHome.exitCode(), fromHome::toString);
        assertTrue(fromHome.stdout().contains("auth " + user + " (" + dir.resolve(".docker/config.json") + ")"), fromHome::toString);
        assertFalse(fromHome.everything().contains(password));
    }

    @Test
    void fetchesOneBearerTokenPerScopeAndReusesItForEveryBlob() throws Exception {
        String reg = TestEnv.get("LONGSHORE_REGISTRY_TOKEN");
        String user = TestEnv.get("LONGSHORE_REGISTRY_TOKEN_USER");
        String password = TestEnv.get("LONGSHORE_REGISTRY_TOKEN_PASSWORD");
        String repo = RegistryFixture.uniqueRepo("token");
        fixture(reg, user, password).pushIndex(repo, "latest", List.of("linux/amd64", "linux/arm64"), 4, 1024, true);

        long before = issued();
        Run run = Run.of(dir, settings("PLUGIN_REPO", reg + "/" + repo, "PLUGIN_USERNAME", user, "PLUGIN_PASSWORD", password));
        long tokens = issued() - before;
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.stdout().contains("14 blobs"), run::toString);
        // one for the /v2/ check (no scope), one for repository:<repo>:pull — not one per request (about 20 here).
        // Other engineers' tests share the token server, so allow a little of their traffic.
        assertTrue(tokens >= 1 && tokens <= 4, "tokens issued during the walk: " + tokens);
        assertFalse(run.everything().contains(password));

        Run refused = Run.of(dir, settings("PLUGIN_REPO", reg + "/" + repo, "PLUGIN_USERNAME", user, "PLUGIN_PASSWORD", "not-" + password));
        assertEquals(3, refused.exitCode(), refused::toString);
        assertTrue(refused.stdout().contains("token server"), refused::toString);
        assertFalse(refused.everything().contains("not-" + password));
    }

    static long issued() throws Exception {
        URI stats = URI.create(TestEnv.get("LONGSHORE_TOKEN_REALM").replace("/token", "/stats"));
        try (var in = stats.toURL().openStream()) {
            return new ObjectMapper().readTree(in).path("issued").asLong();
        }
    }

    @Test
    void trustsTheTlsRegistryThroughCaCertOrInsecureAndOtherwiseSaysWhy() throws Exception {
        String reg = TestEnv.get("LONGSHORE_REGISTRY_TLS");
        String ca = TestEnv.get("LONGSHORE_REGISTRY_TLS_CA");
        String repo = RegistryFixture.uniqueRepo("tls");
        Docker.skopeo("copy", "--quiet", "--format", "oci", "--src-daemon-host", TestEnv.dockerHost(), "--dest-cert-dir", certDir(ca),
                "docker-daemon:" + TestEnv.testImage(), "docker://" + reg + "/" + repo + ":latest");

        Run trusted = Run.of(dir, settings("PLUGIN_REPO", reg + "/" + repo, "PLUGIN_CA_CERT", ca, "PLUGIN_DEEP", "true"));
        assertEquals(0, trusted.exitCode(), trusted::toString);
        assertTrue(trusted.stdout().contains("registry API at https://" + reg), trusted::toString);
        assertTrue(trusted.stdout().contains("OCI manifest"), trusted::toString);

        Run untrusted = Run.of(dir, settings("PLUGIN_REPO", reg + "/" + repo, "PLUGIN_TIMEOUT", "20s"));
        assertEquals(3, untrusted.exitCode(), untrusted::toString);
        assertTrue(untrusted.stdout().contains("set ca_cert"), untrusted::toString);

        Run insecure = Run.of(dir, settings("PLUGIN_REPO", reg + "/" + repo, "PLUGIN_INSECURE", "true"));
        assertEquals(0, insecure.exitCode(), insecure::toString);
    }

    /** skopeo wants a directory with ca.crt for a registry's CA. */
    String certDir(String caPem) throws Exception {
        java.nio.file.Path d = java.nio.file.Files.createDirectories(dir.resolve("certs"));
        java.nio.file.Files.copy(java.nio.file.Path.of(caPem), d.resolve("ca.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return d.toString();
    }
}
