package io.longshore.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.longshore.deploy.plan.TestCommand;
import io.longshore.deploy.plan.TestCommands;
import io.longshore.kit.settings.SettingFormats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The sample pipelines' deploy steps: their tests, seed and verify read as both CIs send them, against the sample recipe. */
class SamplePipelinesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SAMPLES = Path.of("..", "samples");

    private static List<JsonNode> deploySteps(Path file) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (Object doc : new Yaml().loadAll(Files.readString(file))) {
            for (JsonNode step : JSON.valueToTree(doc).path("steps")) {
                if (step.path("image").asText().startsWith("longshore/deploy")) {
                    out.add(step);
                }
            }
        }
        return out;
    }

    @Test
    void theSampleStepsTestCommandsParseAndUseTheRecipesVolume() throws Exception {
        String compose = Files.readString(SAMPLES.resolve("recipes/web/compose.yml"));
        assertTrue(compose.contains("\"data:/data\""), "the web service mounts the data volume the seed writes to");
        for (Path file : List.of(SAMPLES.resolve(".drone.yml"), SAMPLES.resolve(".woodpecker/build.yml"))) {
            List<JsonNode> steps = deploySteps(file);
            assertFalse(steps.isEmpty(), file.toString());
            for (JsonNode step : steps) {
                JsonNode settings = step.path("settings");
                for (String key : List.of("tests", "seed", "verify")) {
                    // both CIs pass a YAML list as its JSON text
                    List<TestCommand> commands = TestCommands.parse(SettingFormats.parseList(JSON.writeValueAsString(settings.path(key))), "--" + key);
                    assertFalse(commands.isEmpty(), file + " " + key);
                    commands.forEach(c -> assertEquals("web", c.service(), file + " " + key + " " + c));
                }
            }
        }
    }
}
