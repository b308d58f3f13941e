package io.longshore.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.longshore.deploy.apply.StackApplier;
import io.longshore.deploy.compose.ComposeProject;
import io.longshore.deploy.convert.DeployPlan;
import io.longshore.deploy.convert.StackConverter;
import io.longshore.deploy.recipe.Recipe;
import io.longshore.kit.output.Events;
import io.longshore.kit.output.Masker;
import io.longshore.kit.stack.RunLabels;
import io.longshore.testenv.TestEnv;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The oracle is the real CLI: from the same compose files, the service specs deploy creates must
 * equal what {@code docker stack deploy} creates ({@code docker service inspect}), normalised as
 * {@link StackSpecs} says.
 */
class CliOracleIT extends EngineStacksTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    protected void beforeCleanUp() {
        stacks.forEach(s -> TestStacks.awaitJobs(engine, s));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../samples/recipes/web", "src/test/resources/oracle/kitchen"})
    void createsTheSameServiceSpecsAsDockerStackDeploy(String recipeDir) throws Exception {
        Path dir = Path.of(recipeDir).toAbsolutePath().normalize();
        String ours = TestStacks.uniqueStack();
        String theirs = TestStacks.uniqueStack();
        stacks.add(ours);
        stacks.add(theirs);
        Map<String, String> overrides = Map.of("IMAGE", TestEnv.testImage(), "WEB_PORT", "39991");

        Recipe mine = Recipe.load(dir, ".env.sample", overrides, null, ours, null, new SecureRandom());
        ComposeProject project = ComposeProject.load(mine.composeFiles(), mine.env());
        Instant now = Instant.now();
        DeployPlan plan = StackConverter.convert(project.model(), ours,
                RunLabels.of(ours, now, now.plus(Duration.ofMinutes(15)), null), mine.env(), mine.generatedSecrets());
        new StackApplier(engine, Events.none(), new Masker(), mine.env()).create(plan);

        Recipe cli = Recipe.load(dir, ".env.sample", overrides, null, theirs, null, new SecureRandom());
        for (Recipe.GeneratedSecret g : cli.generatedSecrets()) {
            // the recipe expects these to exist; labelled as a run so the cleanup finds them
            ObjectNode spec = JSON.createObjectNode().put("Name", g.name())
                    .put("Data", Base64.getEncoder().encodeToString("oracle".getBytes(StandardCharsets.UTF_8)));
            spec.putObject("Labels").put(RunLabels.RUN, theirs);
            engine.post("/secrets/create", spec);
        }
        List<String> cmd = new ArrayList<>(List.of("docker", "stack", "deploy", "--resolve-image", "never"));
        for (Path f : cli.composeFiles()) {
            cmd.add("-c");
            cmd.add(f.toString());
        }
        cmd.add(theirs);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        Map<String, String> env = new HashMap<>(cli.env());
        env.remove("COMPOSE_FILE");
        pb.environment().putAll(env);
        pb.environment().put("DOCKER_HOST", TestEnv.dockerHost());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", cmd) + "\n" + out);

        Map<String, JsonNode> expected = specs(theirs);
        Map<String, JsonNode> actual = specs(ours);
        assertEquals(expected.keySet(), actual.keySet());
        for (String service : expected.keySet()) {
            assertEquals(expected.get(service).toPrettyString(), actual.get(service).toPrettyString(), "service " + service);
        }
        assertTrue(objects("networks", ours).keySet().contains("STACK_default") || objects("networks", ours).keySet().contains("STACK_backend"));
        assertTrue(!objects("configs", ours).isEmpty());
        assertEquals(objects("networks", theirs), objects("networks", ours));
        assertEquals(objects("configs", theirs), objects("configs", ours));
        // the CLI stack's secrets the recipe expects were made by this test, not by the CLI
        Map<String, JsonNode> secrets = objects("secrets", ours);
        cli.generatedSecrets().forEach(g -> secrets.remove(g.name().replace(theirs, "STACK")));
        assertEquals(objects("secrets", theirs), secrets);
    }

    private Map<String, JsonNode> specs(String stack) {
        return StackSpecs.services(engine, stack);
    }

    private Map<String, JsonNode> objects(String kind, String stack) {
        return StackSpecs.objects(engine, kind, stack);
    }
}
