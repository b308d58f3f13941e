package io.longshore.deploy.warm;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.longshore.kit.engine.Engine;
import io.longshore.kit.engine.EngineApiException;
import io.longshore.kit.engine.EngineStreams;
import io.longshore.kit.engine.Filter;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

/**
 * Copies a volume's whole tree into another volume through the Engine API alone, as {@code docker
 * cp} moves files: out of a container that mounts the source and into one that mounts the target,
 * streamed through this process (which computes the tree's {@link TarDigest} on the way), with
 * numeric owners, modes, symlinks and hard links kept. The containers are created from an image
 * already on the engine and never started; they are removed when the copy ends. Nothing is pulled.
 */
public final class VolumeCopier {
    /** Where the helper containers mount the volume; the archive's entries start with this name. */
    static final String MOUNT = "/longshore-volume";

    private final Engine engine;
    private final String image;
    private final Map<String, String> labels;
    private final String namePrefix;

    /**
     * @param image an image on the engine to create the (never started) helper containers from
     * @param labels the labels the helper containers carry, so teardown finds one a killed copy left
     * @param namePrefix the helper containers' name prefix ({@code <stack>_}, for the same reason)
     */
    public VolumeCopier(Engine engine, String image, Map<String, String> labels, String namePrefix) {
        this.engine = engine;
        this.image = image;
        this.labels = Map.copyOf(labels);
        this.namePrefix = namePrefix;
    }

    /** Copies {@code from} into {@code to} (which should be empty) and returns what was copied. */
    public TarDigest.Summary copy(String from, String to) {
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

    /** Reads {@code volume}'s tree and returns its summary, changing nothing. */
    public TarDigest.Summary read(String volume) {
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
        String name = namePrefix + "longshore-copy-" + UUID.randomUUID().toString().substring(0, 8);
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
