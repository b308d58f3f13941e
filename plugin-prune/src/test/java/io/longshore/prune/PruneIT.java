package io.longshore.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.TaskSpec;
import com.github.dockerjava.api.exception.NotFoundException;
import io.longshore.kit.engine.Engine;
import io.longshore.kit.lock.HostLock;
import io.longshore.kit.output.Report;
import io.longshore.kit.run.Launcher;
import io.longshore.kit.run.ShutdownHooks;
import io.longshore.testenv.TestEnv;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PruneIT {
    static final Duration UNTIL = Duration.ofSeconds(8);

    Engine engine;
    DockerClient docker;
    String prefix;
    final List<String> containers = new ArrayList<>();
    final List<String> images = new ArrayList<>();
    final List<String> services = new ArrayList<>();
    final List<String> volumes = new ArrayList<>();
    /** The prune's clock: moved ahead so that what a test made counts as older than until, without waiting for it. */
    java.time.Clock clock = java.time.Clock.systemUTC();
    @TempDir
    Path dir;

    @BeforeEach
    void connect() {
        Map<String, String> env = TestEnv.require();
        engine = Engine.connect(env).ping();
        docker = engine.docker();
        prefix = "prune-it-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(2);
    }

    @AfterEach
    void cleanUp() {
        services.forEach(s -> ignoreMissing(() -> docker.removeServiceCmd(s).exec()));
        containers.forEach(c -> ignoreMissing(() -> docker.removeContainerCmd(c).withForce(true).exec()));
        images.forEach(i -> ignoreMissing(() -> docker.removeImageCmd(i).withForce(true).exec()));
        volumes.forEach(v -> ignoreMissing(() -> docker.removeVolumeCmd(v).exec()));
        engine.close();
    }

    static void ignoreMissing(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            // already gone, or removed by the prune under test
        }
    }

    record Result(int exitCode, String output, JsonNode report) {}

    Result prune(Map<String, String> settings) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("DOCKER_HOST", TestEnv.dockerHost());
        env.put("PLUGIN_PATH", dataRoot());
        env.put("PLUGIN_UNTIL", UNTIL.toSeconds() + "s");
        env.put("PLUGIN_IGNORE_STACKS", String.join(",", otherStacks()));
        Path report = dir.resolve("report-" + System.nanoTime() + ".json");
        env.put("PLUGIN_REPORT", report.toString());
        env.putAll(settings);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        PruneCommand command = new PruneCommand();
        command.clock = clock;
        int code = new Launcher(env, out, out, new ShutdownHooks(m -> {})).execute(command, new String[0]);
        String text = bytes.toString(StandardCharsets.UTF_8);
        return new Result(code, text, Files.exists(report) ? Report.json().readTree(report.toFile()) : null);
    }

    /** The engine's data root: the filesystem prune measures (the step would mount it read-only). */
    String dataRoot() {
        return docker.infoCmd().exec().getDockerRootDir();
    }

    /** Stacks other than this test's (other tests' runs on the shared engine) do not count as live here. */
    List<String> otherStacks() {
        Set<String> stacks = new TreeSet<>();
        for (JsonNode s : engine.get("/services")) {
            JsonNode labels = s.path("Spec").path("Labels");
            for (String key : List.of("io.longshore.run", "com.docker.stack.namespace")) {
                String stack = labels.path(key).asText("");
                if (!stack.isEmpty() && !stack.startsWith(prefix)) {
                    stacks.add(stack);
                }
            }
        }
        return List.copyOf(stacks);
    }

    String stoppedContainer(String suffix, Map<String, String> labels, String volume) {
        var create = docker.createContainerCmd(TestEnv.testImage()).withName(prefix + "-" + suffix).withCmd("true").withLabels(labels);
        if (volume != null) {
            create.withHostConfig(com.github.dockerjava.api.model.HostConfig.newHostConfig()
                    .withBinds(com.github.dockerjava.api.model.Bind.parse(volume + ":/data")));
        }
        String id = create.exec().getId();
        containers.add(id);
        return id;
    }

    String danglingImage(String content, Instant created, Map<String, String> labels) throws Exception {
        String id = ImageForge.load(docker, prefix + content, created, null, labels);
        images.add(id);
        return id;
    }

    boolean exists(String kind, String id) {
        try {
            switch (kind) {
                case "container" -> docker.inspectContainerCmd(id).exec();
                case "image" -> docker.inspectImageCmd(id).exec();
                case "volume" -> docker.inspectVolumeCmd(id).exec();
                default -> throw new IllegalArgumentException(kind);
            }
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    static void waitFor(String what, Duration deadline, BooleanSupplier condition) {
        try {
            if (!io.longshore.kit.wait.Deadline.in(deadline).await(condition)) {
                fail("timed out waiting for " + what);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
        }
    }

    /** From now on the prune sees everything made so far as older than until. */
    void ageEverythingMadeSoFar() {
        clock = java.time.Clock.offset(java.time.Clock.systemUTC(), UNTIL.plusSeconds(2));
    }

    /**
     * The prune's "now" is fixed so that what was made before {@code made} is older than until and
     * anything made from the next whole second on is not (the engine keeps creation times in seconds).
     */
    Instant cutAfter(Instant made) {
        Instant cut = made.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plusSeconds(1);
        clock = java.time.Clock.fixed(cut.plus(UNTIL), java.time.ZoneOffset.UTC);
        Instant newer = cut.plusSeconds(1);
        waitFor("the clock to pass the cut", Duration.ofSeconds(5), () -> Instant.now().isAfter(newer));
        return cut;
    }

    void waitForNothingConverging() {
        waitFor("no swarm task in flight on the shared engine", Duration.ofMinutes(2), () -> {
            Set<String> services = new TreeSet<>();
            engine.get("/services").forEach(s -> services.add(s.path("ID").asText()));
            for (JsonNode t : engine.get("/tasks")) {
                if (!services.contains(t.path("ServiceID").asText())) {
                    continue;
                }
                String state = t.path("Status").path("State").asText();
                if (Set.of("new", "pending", "assigned", "accepted", "preparing", "starting").contains(state)
                        && !"shutdown".equals(t.path("DesiredState").asText())) {
                    return false;
                }
            }
            return true;
        });
    }

    static Set<String> ids(JsonNode items) {
        Set<String> out = new TreeSet<>();
        items.forEach(i -> out.add(i.path("id").asText()));
        return out;
    }

    @Test
    void dryRunListsExactlyWhatTheRealRunRemovesAndNothingTaggedOrAnyVolumeGoes() throws Exception {
        String volume = prefix + "-data";
        docker.createVolumeCmd().withName(volume).exec();
        volumes.add(volume);
        String oldStopped = stoppedContainer("old", Map.of(), null);
        String oldWithVolume = stoppedContainer("old-vol", Map.of(), volume);
        String kept = stoppedContainer("keep", Map.of("io.longshore.keep", "true"), null);
        String withAnonymous = docker.createContainerCmd(TestEnv.testImage()).withName(prefix + "-anon").withCmd("true")
                .withVolumes(new com.github.dockerjava.api.model.Volume("/anon")).exec().getId();
        containers.add(withAnonymous);
        String anonymousVolume = docker.inspectContainerCmd(withAnonymous).exec().getMounts().get(0).getName();
        volumes.add(anonymousVolume);
        Instant longAgo = Instant.parse("2020-01-01T00:00:00Z");
        String oldDangling = danglingImage("old", longAgo, Map.of());
        String keptDangling = danglingImage("keep", longAgo, Map.of("io.longshore.keep", "true"));
        String tagged = ImageForge.load(docker, prefix + "tagged", longAgo, prefix + "/tagged:1", Map.of());
        images.add(tagged);
        cutAfter(Instant.now());
        String newStopped = stoppedContainer("new", Map.of(), null);
        String newDangling = danglingImage("new", Instant.now(), Map.of());
        waitForNothingConverging();

        Result dry = prune(Map.of("PLUGIN_THRESHOLD", "0", "PLUGIN_DRY_RUN", "true"));
        assertEquals(0, dry.exitCode(), dry.output());
        Set<String> planned = ids(dry.report().path("details").path("plan"));
        assertTrue(planned.containsAll(List.of(oldStopped, oldWithVolume, withAnonymous, oldDangling)), dry.output());
        for (String id : List.of(kept, newStopped, keptDangling, newDangling, tagged)) {
            assertFalse(planned.contains(id), id + " must not be planned:\n" + dry.output());
        }
        assertTrue(exists("container", oldStopped) && exists("image", oldDangling), "dry run removed something");

        Result real = prune(Map.of("PLUGIN_THRESHOLD", "0"));
        assertEquals(0, real.exitCode(), real.output());
        Set<String> removed = ids(real.report().path("details").path("removed"));
        Set<String> mine = Set.of(oldStopped, oldWithVolume, withAnonymous, oldDangling);
        Set<String> plannedMine = new TreeSet<>(planned);
        plannedMine.retainAll(mine);
        Set<String> removedMine = new TreeSet<>(removed);
        removedMine.retainAll(mine);
        assertEquals(plannedMine, removedMine, real.output());
        assertFalse(exists("container", oldStopped));
        assertFalse(exists("container", oldWithVolume));
        assertFalse(exists("image", oldDangling));
        assertTrue(exists("container", kept), "a container labelled keep was removed");
        assertTrue(exists("container", newStopped), "a container newer than until was removed");
        assertTrue(exists("image", keptDangling), "an image labelled keep was removed");
        assertTrue(exists("image", newDangling), "an image newer than until was removed");
        assertTrue(exists("image", tagged), "a tagged image was removed");
        assertTrue(exists("image", TestEnv.testImage()), "the test image was removed");
        assertTrue(exists("volume", volume), "a volume was removed");
        assertFalse(exists("container", withAnonymous));
        assertTrue(exists("volume", anonymousVolume), "a container's anonymous volume was removed with it");
        assertTrue(real.output().contains("reclaimed"), real.output());
    }

    @Test
    void theDiskGateClosesBelowTheThresholdAndNothingIsRemoved() throws Exception {
        String old = stoppedContainer("gated", Map.of(), null);
        ageEverythingMadeSoFar();
        Result r = prune(Map.of("PLUGIN_THRESHOLD", "100"));
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("closed  disk:"), r.output());
        assertTrue(r.output().contains("nothing pruned: the disk"), r.output());
        assertTrue(exists("container", old));
        JsonNode disk = r.report().path("details").path("gates").get(0);
        assertEquals("disk", disk.path("gate").asText());
        assertTrue(disk.path("numbers").path("usedPercent").asDouble() > 0, disk.toString());
    }

    @Test
    void aLiveRunClosesThePruneEvenWhenForcedUnlessItsStackIsIgnored() throws Exception {
        String old = stoppedContainer("live", Map.of(), null);
        String stack = prefix + "-run";
        String service = docker.createServiceCmd(new ServiceSpec().withName(stack + "_sleeper")
                .withLabels(Map.of("io.longshore.run", stack, "com.docker.stack.namespace", stack))
                .withTaskTemplate(new TaskSpec().withContainerSpec(new ContainerSpec().withImage(TestEnv.testImage())
                        .withCommand(List.of("sleep", "600"))))).exec().getId();
        services.add(service);
        ageEverythingMadeSoFar();

        Result forced = prune(Map.of("PLUGIN_THRESHOLD", "100", "PLUGIN_FORCE", "true"));
        assertEquals(0, forced.exitCode(), forced.output());
        assertTrue(forced.output().contains("closed  live-runs: 1 run(s) live: " + stack), forced.output());
        assertTrue(exists("container", old), "pruned mid-run");

        waitForNothingConverging();
        List<String> ignore = new ArrayList<>(otherStacks());
        ignore.add(prefix + "-*");
        Result ignored = prune(Map.of("PLUGIN_FORCE", "true", "PLUGIN_IGNORE_STACKS", String.join(",", ignore)));
        assertEquals(0, ignored.exitCode(), ignored.output());
        assertTrue(ignored.output().contains("open    live-runs"), ignored.output());
        assertFalse(exists("container", old), ignored.output());
    }

    @Test
    void aHeldLockExitsFourAndNothingIsRemovedThenAFreeLockIsTakenAndReleased() throws Exception {
        String old = stoppedContainer("locked", Map.of(), null);
        ageEverythingMadeSoFar();
        waitForNothingConverging();
        String lockName = prefix + "-lock";
        HostLock hostLock = HostLock.on(engine);
        try (HostLock.Held other = hostLock.acquire(lockName, "another pipeline", Duration.ofMinutes(5), Duration.ofSeconds(5),
                io.longshore.kit.output.Events.none(), new ShutdownHooks(m -> {}))) {
            Result locked = prune(Map.of("PLUGIN_FORCE", "true", "PLUGIN_LOCK", lockName, "PLUGIN_LOCK_TIMEOUT", "2s"));
            assertEquals(4, locked.exitCode(), locked.output());
            assertTrue(locked.output().contains("another pipeline"), locked.output());
            assertTrue(exists("container", old), "pruned without the lock");
        }
        Result free = prune(Map.of("PLUGIN_FORCE", "true", "PLUGIN_LOCK", lockName, "PLUGIN_LOCK_TIMEOUT", "10s"));
        assertEquals(0, free.exitCode(), free.output());
        assertTrue(free.output().contains("took lock " + lockName), free.output());
        assertFalse(exists("container", old), free.output());
        assertTrue(hostLock.current(lockName).isEmpty(), "the lock was not released");
    }

    @Test
    void aMissingPathIsAnInvalidSettingNamingTheVariable() throws Exception {
        Result r = prune(Map.of("PLUGIN_PATH", "/nonexistent/docker"));
        assertEquals(2, r.exitCode(), r.output());
        assertTrue(r.output().contains("PLUGIN_PATH: /nonexistent/docker does not exist"), r.output());
    }
}
