package io.longshore.deploy.warm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.longshore.kit.engine.Engine;
import io.longshore.kit.engine.EngineApiException;
import io.longshore.kit.engine.EngineStreams;
import io.longshore.kit.engine.Filter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Copies a volume's whole tree into another volume, or reads its {@link TarDigest}, with numeric
 * owners, modes, symlinks and hard links kept. Two ways, the same digest:
 * <ul>
 *   <li>in the engine, when a plugin image is there to run a helper container of ({@link VolumeTree}
 *       mounting both volumes: the files move once, disk to disk, hashed on the way);</li>
 *   <li>else, or for a tree the helper cannot copy exactly (a FIFO, a device), through the Engine API
 *       as {@code docker cp} moves files: out of a never-started container that mounts the source
 *       and into one that mounts the target, streamed through this process, hashed as it passes.</li>
 * </ul>
 * The containers are removed when the copy ends. Nothing is pulled.
 */
public final class VolumeCopier {
    /** Where the helper containers mount the volume; the archive's entries start with this name. */
    static final String MOUNT = "/longshore-volume";
    /** Where the in-engine helper mounts the source (read only) and the target. */
    private static final String FROM = "/longshore-from";
    private static final String TO = "/longshore-to";
    /** How long one in-engine copy may take (a hundred gigabytes at a slow disk's pace). */
    private static final Duration JOB_LIMIT = Duration.ofHours(2);
    /** The first look at a running helper, doubled up to {@link #MOST_LOOK}: the engine's die event is what ends the wait. */
    private static final Duration FIRST_LOOK = Duration.ofMillis(20);
    private static final Duration MOST_LOOK = Duration.ofSeconds(1);
    /** What the helper containers' names start with, after the caller's prefix. */
    static final String HELPER = "longshore-copy-";

    private final Engine engine;
    private final String image;
    private final Map<String, String> labels;
    private final String namePrefix;
    private final Optional<String> treeImage;
    private final Consumer<String> notes;

    /**
     * @param image an image on the engine to create the (never started) helper containers from
     * @param treeImage the ID of a deploy image on the engine to run {@link VolumeTree} from; empty
     *        for copies through this process only
     * @param labels the labels the helper containers carry, so teardown finds one a killed copy left
     * @param namePrefix the helper containers' name prefix ({@code <stack>_}, for the same reason)
     * @param notes where a copy says which way it went, when not in the engine
     */
    public VolumeCopier(Engine engine, String image, Optional<String> treeImage, Map<String, String> labels, String namePrefix,
                        Consumer<String> notes) {
        this.engine = engine;
        this.image = image;
        this.treeImage = treeImage;
        this.labels = Map.copyOf(labels);
        this.namePrefix = namePrefix;
        this.notes = notes;
    }

    /** Copies {@code from} into {@code to} (which should be empty) and returns what was copied. */
    public TarDigest.Summary copy(String from, String to) {
        return inEngine(List.of("copy", FROM, TO), from, to).orElseGet(() -> stream(from, to));
    }

    /**
     * Makes {@code to} hold exactly what {@code from} holds and returns what was copied. In the
     * engine this happens in place (the volume keeps its driver options; the old contents are
     * deleted while the copy runs); a copy through this process first runs {@code empty}, which
     * leaves {@code to} empty (by removing and creating it again, say). Not {@code hashed} (the
     * caller has just read {@code from}'s digest), the engine's copy does not read the contents
     * twice and its summary has no SHA-256; one through this process has it either way.
     */
    public TarDigest.Summary replace(String from, String to, boolean hashed, Runnable empty) {
        List<String> args = hashed ? List.of("replace", FROM, TO) : List.of("replace", FROM, TO, VolumeTree.UNHASHED);
        return inEngine(args, from, to).orElseGet(() -> {
            empty.run();
            return stream(from, to);
        });
    }

    /** Reads {@code volume}'s tree and returns its summary, changing nothing. */
    public TarDigest.Summary read(String volume) {
        return inEngine(List.of("digest", FROM), volume, null).orElseGet(() -> streamRead(volume));
    }

    private TarDigest.Summary stream(String from, String to) {
        String source = helper(from);
        try {
            String target = helper(to);
            try {
                TarDigest digest = new TarDigest();
                try (InputStream tar = digest.tap(EngineStreams.get(engine, archive(source)));
                     InputStream ahead = ReadAhead.of(tar)) {
                    // the archive is read out of one volume while the last megabytes go into the other
                    EngineStreams.put(engine, "/containers/" + target + "/archive?path=/&copyUIDGID=true&noOverwriteDirNonDir=false",
                            "application/x-tar", ahead);
                } catch (IOException e) {
                    throw new IllegalStateException("copying volume " + from + " into " + to + " failed: " + e.getMessage(), e);
                }
                return digest.summary();
            } finally {
                remove(target);
            }
        } finally {
            remove(source);
        }
    }

    private TarDigest.Summary streamRead(String volume) {
        String source = helper(volume);
        try {
            TarDigest digest = new TarDigest();
            try (InputStream tar = digest.tap(EngineStreams.get(engine, archive(source)))) {
                byte[] buf = new byte[1 << 20];
                while (tar.read(buf) >= 0) {
                    // the digest reads what passes
                }
            } catch (IOException e) {
                throw new IllegalStateException("reading volume " + volume + " failed: " + e.getMessage(), e);
            }
            return digest.summary();
        } finally {
            remove(source);
        }
    }

    /**
     * Runs {@link VolumeTree} in a helper container of {@link #treeImage} with {@code from} (read
     * only) and {@code to} mounted; empty when there is no such image or the helper refused the tree
     * before writing anything (the caller then streams it), else what it copied or read.
     */
    private Optional<TarDigest.Summary> inEngine(List<String> args, String from, String to) {
        if (treeImage.isEmpty()) {
            return Optional.empty();
        }
        List<String> entrypoint = new ArrayList<>();
        engine.get("/images/" + treeImage.get() + "/json").path("Config").path("Entrypoint").forEach(a -> entrypoint.add(a.asText()));
        // the images' JVM is tuned for a short job (C1 only); hashing a volume wants C2's SHA intrinsics, twenty times faster
        entrypoint.removeIf(a -> a.startsWith("-XX:TieredStopAtLevel="));
        if (entrypoint.isEmpty()) {
            notes.accept("the helper image " + treeImage.get() + " has no entrypoint to copy with; copying through this process");
            return Optional.empty();
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("Image", treeImage.get());
        entrypoint.forEach(body.putArray("Entrypoint")::add);
        ArrayNode cmd = body.putArray("Cmd").add(VolumeTree.COMMAND);
        args.forEach(cmd::add);
        body.put("User", "0:0");
        // the images hold C.UTF-8's character classes only: enough for the JVM to spell any file name
        body.putArray("Env").add("LC_CTYPE=C.UTF-8");
        ObjectNode l = body.putObject("Labels");
        labels.forEach(l::put);
        ObjectNode host = body.putObject("HostConfig");
        host.put("NetworkMode", "none");
        ArrayNode mounts = host.putArray("Mounts");
        mounts.addObject().put("Type", "volume").put("Source", from).put("Target", FROM).put("ReadOnly", true);
        if (to != null) {
            mounts.addObject().put("Type", "volume").put("Source", to).put("Target", TO);
        }
        String name = namePrefix + HELPER + UUID.randomUUID().toString().substring(0, 8);
        String id = engine.post("/containers/create?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8), body).path("Id").asText();
        try {
            CountDownLatch ended = endOf(id);
            engine.post("/containers/" + id + "/start", null);
            Optional<Integer> exit = Optional.empty();
            Instant limit = Instant.now().plus(JOB_LIMIT);
            Duration pause = FIRST_LOOK;
            try {
                while (true) {
                    JsonNode state = engine.get("/containers/" + id + "/json").path("State");
                    if (!state.path("Running").asBoolean(true)) {
                        exit = Optional.of(state.path("ExitCode").asInt(-1));
                        break;
                    }
                    if (!Instant.now().isBefore(limit)) {
                        break;
                    }
                    // the engine's die event wakes this at once; the looks are the safety net
                    ended.await(pause.toMillis(), TimeUnit.MILLISECONDS);
                    pause = pause.multipliedBy(2).compareTo(MOST_LOOK) > 0 ? MOST_LOOK : pause.multipliedBy(2);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the helper container " + name + " copied " + from);
            }
            if (exit.isEmpty()) {
                throw new IllegalStateException("the helper container " + name + " did not finish " + args.getFirst()
                        + " of " + from + " within " + JOB_LIMIT.toHours() + "h");
            }
            List<String> log = engine.read().containerLogs(id, 0);
            String tail = String.join("; ", log.subList(Math.max(0, log.size() - 5), log.size()));
            if (log.stream().noneMatch(VolumeTree.STARTED::equals)) {
                notes.accept("the helper image " + treeImage.get() + " does not copy volumes (exit " + exit.get() + ": " + tail
                        + "); copying through this process");
                return Optional.empty();
            }
            if (exit.get() == VolumeTree.USAGE) {
                notes.accept("the helper image " + treeImage.get() + " does not know " + args.getFirst() + " (" + tail
                        + "); copying through this process");
                return Optional.empty();
            }
            if (exit.get() == VolumeTree.UNSUPPORTED) {
                notes.accept(from + " is copied through this process: " + tail);
                return Optional.empty();
            }
            if (exit.get() != 0) {
                throw new IllegalStateException((to == null ? "reading volume " + from : "copying volume " + from + " into " + to)
                        + " in the helper container failed (exit " + exit.get() + "): " + tail);
            }
            return Optional.of(VolumeTree.parse(log).orElseThrow(() -> new IllegalStateException(
                    "the helper container " + name + " ended without a summary: " + tail)));
        } finally {
            remove(id);
        }
    }

    /**
     * A latch the engine's first die (or destroy) event of {@code container} opens, followed on a
     * stream of its own from a second before now, so an end that comes before the stream is open still counts.
     */
    private CountDownLatch endOf(String container) {
        CountDownLatch ended = new CountDownLatch(1);
        String path = Filter.NONE.and("type", "container").and("container", container).and("event", "die", "destroy")
                .on("/events?since=" + (Instant.now().getEpochSecond() - 1));
        Thread.ofVirtual().name("helper end " + container.substring(0, Math.min(12, container.length()))).start(() -> {
            try (InputStream events = EngineStreams.get(engine, path);
                 BufferedReader lines = new BufferedReader(new InputStreamReader(events, StandardCharsets.UTF_8))) {
                // the answer's head may come before any event (with since=, it does): the first line is the event
                String line;
                while ((line = lines.readLine()) != null) {
                    if (!line.isBlank()) {
                        ended.countDown();
                        return;
                    }
                }
            } catch (IOException | RuntimeException e) {
                // no events: the looks find the end
            }
        });
        return ended;
    }

    private static String archive(String container) {
        return "/containers/" + container + "/archive?path=" + URLEncoder.encode(MOUNT, StandardCharsets.UTF_8);
    }

    /** A created, never started container of {@link #image} with {@code volume} at {@link #MOUNT}. */
    private String helper(String volume) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("Image", image);
        body.putArray("Entrypoint").add("/longshore-never-started");
        body.putArray("Cmd");
        ObjectNode l = body.putObject("Labels");
        labels.forEach(l::put);
        ObjectNode mount = body.putObject("HostConfig").putArray("Mounts").addObject();
        mount.put("Type", "volume").put("Source", volume).put("Target", MOUNT);
        String name = namePrefix + HELPER + UUID.randomUUID().toString().substring(0, 8);
        return engine.post("/containers/create?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8), body).path("Id").asText();
    }

    private void remove(String container) {
        try {
            engine.delete("/containers/" + container + "?force=1");
        } catch (EngineApiException e) {
            if (e.status() != 404) {
                throw e;
            }
        }
    }

    /**
     * Removes the helper containers (running or not) that carry {@code labels} and whose name starts
     * with {@code namePrefix}'s helper prefix: those a copy killed with its process left behind. A
     * running one still writes into a volume and keeps both of its volumes in use, so the caller must
     * hold what keeps other copies of the same kind away (the host lock). Returns their names.
     */
    public static List<String> removeLeftovers(Engine engine, Map<String, String> labels, String namePrefix) {
        Filter filter = Filter.NONE;
        for (Map.Entry<String, String> l : labels.entrySet()) {
            filter = filter.and("label", l.getKey() + "=" + l.getValue());
        }
        List<String> removed = new ArrayList<>();
        for (var c : engine.read().containers(filter)) {
            if (c.name().startsWith(namePrefix + HELPER)) {
                try {
                    engine.delete("/containers/" + c.id() + "?force=1");
                    removed.add(c.name());
                } catch (EngineApiException e) {
                    if (e.status() != 404) {
                        throw e;
                    }
                }
            }
        }
        return removed;
    }

    /** An image this engine has: {@code preferred} when it is there, else any tagged one. */
    public static String localImage(Engine engine, String preferred) {
        if (preferred != null && !preferred.isBlank()) {
            try {
                engine.get("/images/" + URLEncoder.encode(preferred, StandardCharsets.UTF_8) + "/json");
                return preferred;
            } catch (EngineApiException e) {
                if (e.status() != 404) {
                    throw e;
                }
            }
        }
        for (var i : engine.get(Filter.NONE.on("/images/json"))) {
            for (var tag : i.path("RepoTags")) {
                if (!tag.asText().startsWith("<none>")) {
                    return tag.asText();
                }
            }
        }
        throw new IllegalStateException("this engine has no image to create a helper container from (none is ever pulled)");
    }
}
