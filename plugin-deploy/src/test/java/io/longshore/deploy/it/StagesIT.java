package io.longshore.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.longshore.testenv.TestEnv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Stages on the private engine, from a recipe repository the test builds with JGit: an upgrade
 * whose marker survives in a named volume, one whose new version loses it, a recipe without an
 * earlier release, and failing test commands that fail their stage while later stages still report.
 */
class StagesIT extends EngineStacksTest {
    /** v1 and v2 of a recipe keeping its state in the volume {@code data}; v2 changes the app's version and drops {@code legacy}. */
    private static final String V1 = recipe("1", "data").replace("services:\n", """
                services:
                  legacy:
                    image: ${IMAGE}
                    command: ["sleep", "3600"]
                    init: true
                    stop_grace_period: 1s
                """);
    private static final String V2 = recipe("2", "data");
    /** A v2 that mounts a fresh volume at /data: the old release's marker is gone after the upgrade. */
    private static final String V2_LOSES_DATA = recipe("2", "fresh");

    @TempDir
    Path dir;

    private static String recipe(String version, String volume) {
        return """
                services:
                  app:
                    image: ${IMAGE}
                    command: ["sleep", "3600"]
                    init: true
                    stop_grace_period: 1s
                    environment:
                      APP_VERSION: "%s"
                    volumes: ["%s:/data"]
                    configs:
                      - source: about
                        target: /about
                volumes:
                  %s: {}
                configs:
                  about:
                    content: "version %s"
                """.formatted(version, volume, volume, version);
    }

    /** A repository whose recipe (in recipes/app) was released as each of {@code versions} in turn; returns the recipe dir. */
    private Path repository(String... tagsAndComposeFiles) throws Exception {
        Path repo = dir.resolve("repo");
        Path recipe = Files.createDirectories(repo.resolve("recipes/app"));
        try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
            for (int i = 0; i < tagsAndComposeFiles.length; i += 2) {
                Files.writeString(recipe.resolve("compose.yml"), tagsAndComposeFiles[i + 1]);
                git.add().addFilepattern(".").call();
                git.commit().setMessage("release " + tagsAndComposeFiles[i]).setAuthor("t", "t@example.invalid")
                        .setCommitter("t", "t@example.invalid").setSign(false).call();
                if (!tagsAndComposeFiles[i].isEmpty()) {
                    git.tag().setName(tagsAndComposeFiles[i]).setAnnotated(true).setMessage(tagsAndComposeFiles[i]).setSigned(false).call();
                }
            }
        }
        return recipe;
    }

    private Map<String, String> settings(Path recipe, String stack) {
        Map<String, String> m = new HashMap<>();
        m.put("PLUGIN_RECIPE", recipe.toString());
        m.put("PLUGIN_STACK", stack);
        m.put("PLUGIN_ENV", "IMAGE=" + TestEnv.testImage());
        m.put("PLUGIN_TIMEOUT", "60s");
        m.put("PLUGIN_STAGES", "install,upgrade");
        m.put("PLUGIN_UPGRADE_FROM", "previous");
        m.put("PLUGIN_SEED", "app: echo marker-${STACK_NAME} > /data/marker");
        // the verify runs in the new version's container (APP_VERSION 2) and needs the old one's marker
        m.put("PLUGIN_VERIFY", "app: test \"$APP_VERSION\" = 2 && grep -q marker-${STACK_NAME} /data/marker");
        return m;
    }

    private static String lastLine(String output) {
        List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
        return lines.getLast();
    }

    private static Document junit(Path file) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
    }

    private static List<Element> elements(Document doc, String tag) {
        NodeList list = doc.getElementsByTagName(tag);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < list.getLength(); i++) {
            out.add((Element) list.item(i));
        }
        return out;
    }

    @Test
    void upgradeKeepsTheMarkerTheOldReleaseWroteIntoItsVolume() throws Exception {
        String stack = newStack();
        Path recipe = repository("1.0.0+1.0", V1, "1.1.0+2.0", V2);
        Path junit = dir.resolve("reports/junit.xml");
        Map<String, String> s = settings(recipe, stack);
        // the config's content changed between the releases: the updated service must see the new one
        s.put("PLUGIN_TESTS", "[\"app: test -d /data\", \"app: grep -qx 'version 2' /about\"]");
        s.put("PLUGIN_JUNIT_REPORT", junit.toString());
        DeployRun run = DeployRun.of(s, dir);
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("upgrading from 1.0.0+1.0 to the workspace"), run.output());
        assertTrue(run.output().contains("updating service " + stack + "_app"), run.output());
        assertTrue(run.output().contains("(" + stack + "_about with the new version's content)"), run.output());
        assertTrue(run.output().contains("removing service " + stack + "_legacy (not in the new version)"), run.output());
        JsonNode stages = run.details().path("stages");
        assertEquals("install", stages.path(0).path("name").asText());
        assertEquals("PASS", stages.path(0).path("status").asText());
        assertEquals("PASS", stages.path(1).path("status").asText(), stages.toPrettyString());
        assertEquals("seed,verify,tests,tests", String.join(",", stages.path(1).path("commands").findValuesAsText("kind")));
        assertEquals(stack + ": install PASS, upgrade PASS", lastLine(run.output()).replaceFirst("^.*?" + stack, stack).replaceFirst(" \\(.*$", ""),
                run.output());

        Document doc = junit(junit);
        assertEquals(2, elements(doc, "testsuite").size());
        assertEquals(6, elements(doc, "testcase").size());
        assertEquals(0, elements(doc, "failure").size());
        assertEquals(List.of(), TestStacks.leftovers(engine, stack), run.output());
    }

    @Test
    void anUpgradeWhoseNewVersionLosesTheMarkerFailsItsVerify() throws Exception {
        String stack = newStack();
        Path recipe = repository("1.0.0+1.0", V1, "1.1.0+2.0", V2_LOSES_DATA);
        Map<String, String> s = settings(recipe, stack);
        s.put("PLUGIN_STAGES", "upgrade");
        DeployRun run = DeployRun.of(s, dir);
        assertEquals(1, run.exitCode(), run.output());
        JsonNode upgrade = run.details().path("stages").path(0);
        assertEquals("FAIL", upgrade.path("status").asText(), upgrade.toPrettyString());
        assertEquals("PASS", upgrade.path("commands").path(0).path("status").asText(), "the seed wrote the marker");
        assertEquals("FAIL", upgrade.path("commands").path(1).path("status").asText(), "the verify did not find it");
        // grep's 2: the fresh volume has no marker file at all
        assertEquals(2, upgrade.path("commands").path(1).path("exitCode").asInt(), upgrade.toPrettyString());
        String last = lastLine(run.output());
        assertTrue(last.contains("failed in stage upgrade, verify 'app: test \"$APP_VERSION\" = 2 && grep -q marker-${STACK_NAME} /data/marker'"),
                last);
        assertEquals(List.of(), TestStacks.leftovers(engine, stack), run.output());
    }

    @Test
    void anUpgradeSwarmRollsBackFailsAtOnceInsteadOfWaitingOrPassing() throws Exception {
        String stack = newStack();
        // v2's app dies a second after it starts; Swarm, told to, rolls the update back to v1, which runs fine
        String v2 = V2.replace("command: [\"sleep\", \"3600\"]\n    init: true\n    stop_grace_period: 1s\n    environment:",
                "command: [\"sh\", \"-c\", \"sleep 1; exit 3\"]\n    init: true\n    stop_grace_period: 1s\n"
                        + "    deploy:\n      update_config: {failure_action: rollback, monitor: 5s}\n      restart_policy: {condition: none}\n"
                        + "    environment:");
        assertTrue(v2.contains("failure_action"), v2);
        Path recipe = repository("1.0.0+1.0", V2.replace("APP_VERSION: \"2\"", "APP_VERSION: \"1\""), "1.1.0+2.0", v2);
        Map<String, String> s = settings(recipe, stack);
        s.put("PLUGIN_STAGES", "upgrade");
        s.put("PLUGIN_TIMEOUT", "3m");
        long start = System.nanoTime();
        DeployRun run = DeployRun.of(s, dir);
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        assertEquals(1, run.exitCode(), run.output());
        String last = lastLine(run.output());
        assertTrue(last.contains("upgrade FAIL") || run.output().contains("upgrade FAIL"), run.output());
        assertTrue(!run.output().contains("did not converge") && !run.output().contains("updated 1.1.0+2.0"), run.output());
        assertTrue(run.output().contains("Swarm rolled its update back") || run.output().contains("Swarm is rolling its update back")
                || run.output().contains("container exited with code 3"), run.output());
        assertTrue(seconds < 90, "failed in " + seconds + " s, not at the 3m timeout\n" + run.output());
        assertEquals(List.of(), TestStacks.leftovers(engine, stack), run.output());
    }

    @Test
    void aFailingTestFailsItsStageTheUpgradeWithoutAnEarlierReleaseIsSkippedAndCustomStillReports() throws Exception {
        String stack = newStack();
        Path recipe = repository("1.0.0+1.0", V1);
        Path junit = dir.resolve("junit.xml");
        Map<String, String> s = settings(recipe, stack);
        s.put("PLUGIN_STAGES", "install,upgrade,custom");
        s.put("PLUGIN_TESTS", "[\"app: echo checking; exit 3\", {\"name\": \"a job on the stack's network\", \"image\": \""
                + TestEnv.testImage() + "\", \"command\": \"echo job-for-${STACK_NAME}\", \"timeout\": \"60s\"}]");
        s.put("PLUGIN_JUNIT_REPORT", junit.toString());
        DeployRun run = DeployRun.of(s, dir);
        assertEquals(1, run.exitCode(), run.output());
        JsonNode stages = run.details().path("stages");
        assertEquals("FAIL,SKIPPED,FAIL", stages.path(0).path("status").asText() + "," + stages.path(1).path("status").asText()
                + "," + stages.path(2).path("status").asText(), run.output());
        assertTrue(stages.path(1).path("message").asText().contains("no earlier release"), stages.toPrettyString());
        JsonNode failing = stages.path(0).path("commands").path(0);
        assertEquals(3, failing.path("exitCode").asInt());
        assertEquals("checking", failing.path("outputTail").asText());
        JsonNode job = stages.path(0).path("commands").path(1);
        assertEquals("PASS", job.path("status").asText(), job.toPrettyString());
        assertEquals("job-for-" + stack, job.path("outputTail").asText());
        assertTrue(lastLine(run.output()).contains("install FAIL, upgrade SKIPPED, custom FAIL; failed in stage install, tests 'app: echo checking; exit 3'"),
                run.output());

        Document doc = junit(junit);
        assertEquals(List.of("deploy.app.install", "deploy.app.upgrade", "deploy.app.custom"),
                elements(doc, "testsuite").stream().map(e -> e.getAttribute("name")).toList());
        assertEquals(2, elements(doc, "failure").size());
        assertEquals(1, elements(doc, "skipped").size());
        assertEquals("exit 3", elements(doc, "failure").getFirst().getAttribute("type"));
        assertEquals(List.of(), TestStacks.leftovers(engine, stack), run.output());
    }
}
