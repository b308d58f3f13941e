package io.longshore.testenv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.longshore.kit.settings.Setting;
import io.longshore.kit.settings.SettingsBinder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The smoke test every plugin image passes, run the way a pipeline runs it: {@code docker run}
 * with {@code PLUGIN_*} variables on the private engine. A plugin module's {@code *ImageIT}
 * extends it with the plugin's command, whose declarations say which variables {@code --help}
 * must list and which settings can be given a malformed value.
 *
 * <p>It tests the very image this module's build made (by the id Jib wrote, not by a tag another
 * worktree's build may have moved on the shared engine), so it runs only when the build made
 * one: {@code -Pimages} sets {@code longshore.images=built}. Without it the test is skipped; with
 * it, an image that is missing is a failure.
 */
public abstract class ImageSmokeContract {
    private static final Duration DEADLINE = Duration.ofSeconds(90);

    private final List<Setting> settings;
    private String image;

    protected ImageSmokeContract(Object command) {
        this.settings = SettingsBinder.settings(new CommandLine(command).getCommandSpec());
    }

    @BeforeEach
    void findTheImageThisBuildMade() {
        TestEnv.require();
        image = imageOfThisBuild();
    }

    @Test
    void helpExitsZeroAndListsEveryPluginVariable() {
        DockerCli.Result help = run(List.of(), "--help");

        assertEquals(0, help.exitCode(), help.output());
        for (Setting setting : settings) {
            assertTrue(help.output().contains(setting.variable()), setting.variable() + " is missing from --help:\n" + help.output());
        }
    }

    @Test
    void malformedDurationExitsTwoAndNamesItsVariable() {
        Setting duration = firstOfType(Duration.class);

        DockerCli.Result run = run(List.of(duration.variable() + "=5x"));

        assertEquals(2, run.exitCode(), run.output());
        assertTrue(run.output().contains(duration.variable()), run.output());
    }

    @Test
    void malformedBooleanExitsTwoAndNamesItsVariable() {
        Setting flag = firstOfType(boolean.class);

        DockerCli.Result run = run(List.of(flag.variable() + "=maybe"));

        assertEquals(2, run.exitCode(), run.output());
        assertTrue(run.output().contains(flag.variable()), run.output());
    }

    @Test
    void mapsItsClassDataSharingArchive() {
        Assumptions.assumeTrue("own".equals(System.getProperty("longshore.image.base")),
                "a public base (-Djib.from.image) has no CDS archive of ours");
        List<String> entrypoint = entrypoint();
        assertTrue(entrypoint.contains("-XX:SharedArchiveFile=/app/cds/app.jsa"), entrypoint.toString());
        // -Xshare:on turns a silently ignored archive (class path or JVM mismatch) into an error.
        DockerCli.Result run = runJvm("-Xshare:on", "-Xlog:cds=error", entrypoint.getLast(), "--help");

        assertEquals(0, run.exitCode(), run.output());
    }

    /**
     * The final value of the JVM flag {@code name} when the image's JVM runs with its entrypoint's
     * options ({@code -XX:+PrintFlagsFinal}), so a module's test can say what its job needs.
     */
    protected String jvmFlag(String name) {
        DockerCli.Result run = runJvm("-XX:+PrintFlagsFinal", "-version");
        assertEquals(0, run.exitCode(), run.output());
        return run.output().lines().map(String::trim).map(l -> l.split("\\s+"))
                .filter(f -> f.length >= 4 && f[1].equals(name) && f[2].equals("="))
                .map(f -> f[3]).findFirst().orElseThrow(() -> new AssertionError("the JVM has no flag " + name + ":\n" + run.output()));
    }

    private List<String> entrypoint() {
        return inspect("{{range .Config.Entrypoint}}{{println .}}{{end}}").lines().toList();
    }

    /** The image's java with its entrypoint's JVM options (not its main class), then {@code tail}. */
    private DockerCli.Result runJvm(String... tail) {
        List<String> entrypoint = entrypoint();
        List<String> args = new ArrayList<>(List.of("run", "--rm", "--entrypoint", entrypoint.getFirst(), image));
        args.addAll(entrypoint.subList(1, entrypoint.size() - 1));
        args.addAll(List.of(tail));
        return docker(args);
    }

    @Test
    void carriesTheOciLabels() {
        String title = inspect("{{index .Config.Labels \"org.opencontainers.image.title\"}}");
        String revision = inspect("{{index .Config.Labels \"org.opencontainers.image.revision\"}}");

        assertTrue(title.startsWith("longshore/"), title);
        assertFalse(inspect("{{index .Config.Labels \"org.opencontainers.image.source\"}}").isBlank());
        assertFalse(inspect("{{index .Config.Labels \"org.opencontainers.image.version\"}}").isBlank());
        assertTrue(revision.equals("unknown") || revision.matches("[0-9a-f]{40}"), revision);
    }

    private DockerCli.Result run(List<String> env, String... args) {
        List<String> command = new ArrayList<>(List.of("run", "--rm"));
        env.forEach(e -> command.addAll(List.of("-e", e)));
        command.add(image);
        command.addAll(List.of(args));
        return docker(command);
    }

    /** {@code docker run --rm --name <unique> ...}; a container still running at the deadline is removed. */
    private static DockerCli.Result docker(List<String> runArgs) {
        String name = "longshore-image-it-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> command = new ArrayList<>(runArgs);
        command.addAll(1, List.of("--name", name));
        try {
            return DockerCli.run(DEADLINE, command);
        } catch (AssertionError e) {
            DockerCli.run(DEADLINE, "rm", "--force", name);
            throw e;
        }
    }

    private String inspect(String format) {
        DockerCli.Result r = DockerCli.run(DEADLINE, "image", "inspect", "--format", format, image);
        assertEquals(0, r.exitCode(), r.output());
        return r.output().strip();
    }

    private Setting firstOfType(Class<?> type) {
        return settings.stream()
                .filter(s -> s.type() == type || (type == boolean.class && s.type() == Boolean.class))
                .findFirst()
                .orElseGet(() -> fail("the plugin has no " + type.getSimpleName() + " setting to give a malformed value"));
    }

    /**
     * The ID of the image this module's build made (on the engine at DOCKER_HOST); the test is
     * skipped when the build made none (no {@code -Pimages}), and fails when it should have.
     */
    public static String imageOfThisBuild() {
        if (!"built".equals(System.getProperty("longshore.images"))) {
            Assumptions.abort("this build made no images: run with -Pimages (scripts/test does)");
        }
        Path idFile = Path.of(System.getProperty("longshore.image.id-file", "target/jib-image.id"));
        String id;
        try {
            id = Files.exists(idFile) ? Files.readString(idFile).strip() : "";
        } catch (IOException e) {
            return fail("cannot read " + idFile, e);
        }
        if (id.isEmpty()) {
            fail("-Pimages is active but " + idFile + " is missing: Jib made no image for this module");
        }
        DockerCli.Result found = DockerCli.run(DEADLINE, "image", "inspect", "--format", "{{.Id}}", id);
        if (found.exitCode() != 0) {
            fail("the image " + id + " this build made is not in the engine at DOCKER_HOST=" + System.getenv("DOCKER_HOST")
                    + ": " + found.output());
        }
        return id;
    }
}
