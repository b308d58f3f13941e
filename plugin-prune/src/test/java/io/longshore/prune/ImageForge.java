package io.longshore.prune;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Loads tiny images with a chosen creation time (the {@code until} filter reads it), so a test
 * can have "old" dangling images without waiting a day: a hand-built {@code docker save} archive.
 */
final class ImageForge {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ImageForge() {}

    /** Loads an image and returns its id; {@code tag} null loads it untagged (dangling). */
    static String load(DockerClient docker, String uniqueContent, Instant created, String tag, Map<String, String> labels)
            throws IOException {
        byte[] layer = tar(Map.of("marker.txt", uniqueContent.getBytes(StandardCharsets.UTF_8)));
        String diffId = "sha256:" + sha256(layer);
        ObjectNode config = JSON.createObjectNode();
        config.put("architecture", "amd64");
        config.put("os", "linux");
        config.put("created", created.toString());
        ObjectNode inner = config.putObject("config");
        inner.putArray("Cmd").add("true");
        ObjectNode l = inner.putObject("Labels");
        labels.forEach(l::put);
        ObjectNode rootfs = config.putObject("rootfs");
        rootfs.put("type", "layers");
        rootfs.putArray("diff_ids").add(diffId);
        config.putArray("history").addObject().put("created", created.toString()).put("created_by", "longshore prune test");
        byte[] configBytes = JSON.writeValueAsBytes(config);
        String configName = sha256(configBytes) + ".json";

        ArrayNode manifest = JSON.createArrayNode();
        ObjectNode entry = manifest.addObject();
        entry.put("Config", configName);
        if (tag == null) {
            entry.putNull("RepoTags");
        } else {
            entry.putArray("RepoTags").add(tag);
        }
        entry.putArray("Layers").add("layer/layer.tar");
        byte[] archive = tar(Map.of("manifest.json", JSON.writeValueAsBytes(manifest), configName, configBytes,
                "layer/layer.tar", layer));
        docker.loadImageCmd(new ByteArrayInputStream(archive)).exec();
        return "sha256:" + sha256(configBytes);
    }

    private static byte[] tar(Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            for (String name : List.copyOf(new java.util.TreeSet<>(files.keySet()))) {
                byte[] data = files.get(name);
                TarArchiveEntry e = new TarArchiveEntry(name);
                e.setSize(data.length);
                e.setModTime(0);
                tar.putArchiveEntry(e);
                tar.write(data);
                tar.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
