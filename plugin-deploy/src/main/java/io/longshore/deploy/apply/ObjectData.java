package io.longshore.deploy.apply;

import io.longshore.deploy.convert.DeployPlan.DataSource;
import io.longshore.deploy.convert.DeployPlan.FileObjectPlan;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The bytes a secret or config is created with, from where its plan says they come: a file, a
 * recipe variable or inline content. Random and driver-backed secrets have no bytes here (the
 * applier generates random ones at creation, a driver holds its own).
 */
public final class ObjectData {
    private ObjectData() {}

    /** Null for random and driver-backed objects. */
    public static byte[] of(FileObjectPlan object, Map<String, String> env) {
        return switch (object.source()) {
            case DataSource.File f -> {
                try {
                    yield Files.readAllBytes(Path.of(f.path()));
                } catch (IOException e) {
                    throw new ApplyException("cannot read " + f.path() + " for " + object.name() + ": " + e.getMessage());
                }
            }
            case DataSource.Variable v -> {
                String value = env.get(v.name());
                if (value == null) {
                    throw new ApplyException(object.name() + " comes from the variable " + v.name() + ", which is not set");
                }
                yield value.getBytes(StandardCharsets.UTF_8);
            }
            case DataSource.Content c -> c.text().getBytes(StandardCharsets.UTF_8);
            case DataSource.Random r -> null;
            case DataSource.Driver d -> null;
        };
    }

    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
