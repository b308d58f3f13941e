package io.longshore.deploy.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecipeTimeoutTest {
    @TempDir
    Path dir;

    private final List<String> warnings = new ArrayList<>();

    private Optional<RecipeTimeout> timeout(String compose, Map<String, String> extra) throws Exception {
        Map<String, String> env = new HashMap<>(extra);
        env.put("STACK_NAME", "x");
        ComposeProject p = ComposeProject.load(List.of(Files.writeString(dir.resolve("compose.yml"), compose)), env);
        return RecipeTimeout.of(p, "x", env, warnings);
    }

    @Test
    void theAppServicesLabelIsTheRecipesTimeoutAsAbraReadsIt() throws Exception {
        String compose = """
                services:
                  app:
                    image: a
                    deploy:
                      labels: ["coop-cloud.${STACK_NAME}.timeout=${TIMEOUT:-300}"]
                  aaa:
                    image: b
                    deploy:
                      labels: {coop-cloud.x.timeout: "90"}
                """;
        assertEquals(Optional.of(new RecipeTimeout(Duration.ofSeconds(300), "the coop-cloud.x.timeout label of service app")),
                timeout(compose, Map.of()));
        // the recipe's own label reads TIMEOUT from the env, as bonfire's does
        assertEquals(Duration.ofSeconds(900), timeout(compose, Map.of("TIMEOUT", "900")).orElseThrow().value());
    }

    @Test
    void withoutAnAppServiceTheFirstServiceWithTheLabelCounts() throws Exception {
        assertEquals(Optional.of(new RecipeTimeout(Duration.ofSeconds(90), "the coop-cloud.x.timeout label of service b")), timeout("""
                services:
                  c: {image: c, deploy: {labels: {coop-cloud.x.timeout: "120"}}}
                  b: {image: b, deploy: {labels: {coop-cloud.x.timeout: "90"}}}
                  a: {image: a, deploy: {labels: {coop-cloud.other.timeout: "30"}}}
                """, Map.of()));
    }

    @Test
    void withoutALabelTimeoutInTheEnvCounts() throws Exception {
        assertEquals(Optional.of(new RecipeTimeout(Duration.ofSeconds(600), "TIMEOUT in the recipe's env")),
                timeout("services:\n  app: {image: a}\n", Map.of("TIMEOUT", "600")));
        assertEquals(Optional.empty(), timeout("services:\n  app: {image: a}\n", Map.of()));
    }

    @Test
    void aValueThatIsNotWholeSecondsIsAWarningAndIgnored() throws Exception {
        assertEquals(Optional.of(new RecipeTimeout(Duration.ofSeconds(60), "TIMEOUT in the recipe's env")), timeout("""
                services:
                  app: {image: a, deploy: {labels: {coop-cloud.x.timeout: 5m}}}
                """, Map.of("TIMEOUT", "60")));
        assertEquals(List.of("the coop-cloud.x.timeout label of service app is '5m', not a positive number of seconds; ignored"), warnings);
        assertTrue(timeout("services:\n  app: {image: a}\n", Map.of("TIMEOUT", "0")).isEmpty());
    }
}
