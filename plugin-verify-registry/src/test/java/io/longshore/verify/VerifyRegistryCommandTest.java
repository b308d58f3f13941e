package io.longshore.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings that cannot work end in exit 2 with a sentence naming the variable — before any request. */
class VerifyRegistryCommandTest {
    @TempDir
    Path dir;

    Run run(String... kv) {
        Map<String, String> m = new java.util.HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return Run.of(dir, m);
    }

    void invalid(String expected, String... kv) {
        Run r = run(kv);
        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.stdout().contains(expected), "expected '" + expected + "' in\n" + r);
        assertFalse(r.everything().contains("\tat "), "no stack trace\n" + r);
    }

    @Test
    void refusesDigestsThatAreNotAlgoColonHexOrNotVerifiable() {
        invalid("PLUGIN_DIGEST", "PLUGIN_REPO", "r.example/a", "PLUGIN_DIGEST", "latest");
        invalid("is not a sha256 digest", "PLUGIN_REPO", "r.example/a", "PLUGIN_DIGEST", "sha256:abc");
        invalid("cannot be verified", "PLUGIN_REPO", "r.example/a", "PLUGIN_DIGEST", "md5:" + "0".repeat(32));
    }

    @Test
    void refusesMissingOrMalformedRepositories() {
        invalid("PLUGIN_REPO", "PLUGIN_TAGS", "x");
        invalid("includes a tag", "PLUGIN_REPO", "r.example/team/app:1.0");
        invalid("is not a repository name", "PLUGIN_REPO", "r.example/Team/App");
        invalid("names the registry", "PLUGIN_REPO", "a.example/app", "PLUGIN_REGISTRY", "b.example");
    }

    @Test
    void refusesBadTagsPlatformsAndHalfCredentials() {
        invalid("is not a tag", "PLUGIN_REPO", "r.example/a", "PLUGIN_TAGS", "ok,-bad");
        invalid("is not a platform", "PLUGIN_REPO", "r.example/a", "PLUGIN_PLATFORMS", "amd64");
        invalid("PLUGIN_PASSWORD", "PLUGIN_REPO", "r.example/a", "PLUGIN_USERNAME", "me");
        invalid("PLUGIN_DOCKER_CONFIG", "PLUGIN_REPO", "r.example/a", "PLUGIN_DOCKER_CONFIG", "{not json");
        invalid("PLUGIN_DIGEST_FILE", "PLUGIN_REPO", "r.example/a", "PLUGIN_DIGEST_FILE", "target/nope.digest");
        invalid("PLUGIN_REGISTRY", "PLUGIN_MODE", "probe");
        invalid("PLUGIN_CA_CERT", "PLUGIN_REPO", "r.example/a", "PLUGIN_CA_CERT", "/no/such/ca.pem");
        invalid("PLUGIN_CONCURRENCY", "PLUGIN_REPO", "r.example/a", "PLUGIN_CONCURRENCY", "0");
        invalid("PLUGIN_TIMEOUT", "PLUGIN_REPO", "r.example/a", "PLUGIN_TIMEOUT", "0s");
    }

    @Test
    void plansFromRepoHostDockerHubDefaultsTagsFileAndDigestFile() throws Exception {
        Files.writeString(dir.resolve(".tags"), "1.2.3, 1.2\nlatest\n");
        Files.writeString(dir.resolve("jib-image.digest"), "sha256:" + "c".repeat(64) + "\n");
        VerifyRegistryCommand c = new VerifyRegistryCommand();
        picocli.CommandLine cli = new picocli.CommandLine(c);
        io.longshore.kit.settings.SettingsBinder.bind(cli, Map.of());
        cli.parseArgs("--repo", "app", "--digest-file", "jib-image.digest");
        c.validate(io.longshore.kit.run.Job.detached("verify-registry", Map.of("CI_WORKSPACE", dir.toString())));
        var plan = c.plan();
        assertEquals("docker.io", plan.target().endpoint().name());
        assertEquals("registry-1.docker.io", plan.target().endpoint().apiHost());
        assertEquals("library/app", plan.target().repository());
        assertEquals(java.util.List.of("1.2.3", "1.2", "latest"), plan.tags());
        assertEquals("sha256:" + "c".repeat(64), plan.expected().toString());
    }

    @Test
    void walksTenThousandTagsWithoutHangingAndReportsEachMissingOne() throws Exception {
        try (mockwebserver3.MockWebServer server = new mockwebserver3.MockWebServer()) {
            server.setDispatcher(new mockwebserver3.Dispatcher() {
                @Override
                public mockwebserver3.MockResponse dispatch(mockwebserver3.RecordedRequest r) {
                    return new mockwebserver3.MockResponse.Builder().code(r.getUrl().encodedPath().equals("/v2/") ? 200 : 404).build();
                }
            });
            server.start();
            String tags = String.join(",", java.util.stream.IntStream.range(0, 10_000).mapToObj(i -> "t" + i).toList());
            Run r = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60),
                    () -> run("PLUGIN_REGISTRY", "http://127.0.0.1:" + server.getPort(), "PLUGIN_REPO", "team/app", "PLUGIN_TAGS", tags));
            assertEquals(1, r.exitCode(), () -> r.stdout().lines().limit(20).toList().toString());
            assertTrue(r.stdout().contains("tags t0, t1, t2"), "the plan abbreviates the list");
            assertTrue(r.stdout().contains("10000 tags, 0 indexes, 0 manifests, 0 blobs (0 shared): 10000 broken"), r.stdout().lines().reduce((a, b) -> b).orElse(""));
            assertEquals(10_000, r.report().path("details").path("tags").size());
        }
    }

    @Test
    void aPasswordNeverAppearsEvenWhenTheRegistryIsUnreachable() {
        String password = "s3cret-Pa55word";
        Run r = run("PLUGIN_REPO", "127.0.0.1:1/a/b", "PLUGIN_USERNAME", "me", "PLUGIN_PASSWORD", password, "PLUGIN_TIMEOUT", "2s");
        assertEquals(3, r.exitCode(), r::toString);
        assertFalse(r.everything().contains(password));
    }
}
