package io.longshore.verify.plan;

import io.longshore.kit.settings.InvalidSettingException;
import io.longshore.kit.settings.Secret;
import io.longshore.verify.model.Digest;
import io.longshore.verify.registry.Credentials;
import io.longshore.verify.registry.DockerConfig;
import io.longshore.verify.registry.Endpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Turns settings (and the workspace's .tags and digest files) into plan parts; a bad setting is exit 2. */
public final class Plans {
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");

    private Plans() {}

    public record Tags(List<String> tags, String source) {}

    public static Tags tags(List<String> setting, Path workspace) throws InvalidSettingException {
        List<String> raw;
        String source;
        if (setting != null && !setting.isEmpty()) {
            raw = setting;
            source = "from tags";
        } else {
            Path file = workspace.resolve(".tags");
            if (Files.isRegularFile(file)) {
                try {
                    raw = List.of(Files.readString(file, StandardCharsets.UTF_8).split("[,\\s]+"));
                } catch (IOException e) {
                    throw InvalidSettingException.of("--tags", "is unset and " + file + " cannot be read: " + e.getMessage());
                }
                source = "from " + file;
            } else {
                raw = List.of("latest");
                source = "default";
            }
        }
        LinkedHashSet<String> tags = new LinkedHashSet<>();
        for (String t : raw) {
            String tag = t.trim();
            if (tag.isEmpty()) {
                continue;
            }
            if (!TAG.matcher(tag).matches()) {
                throw InvalidSettingException.of("--tags", "'" + abbreviate(tag) + "' (" + source + ") is not a tag; "
                        + "use letters, digits, _ . - (at most 128, not starting with . or -)");
            }
            tags.add(tag);
        }
        if (tags.isEmpty()) {
            throw InvalidSettingException.of("--tags", "names no tag (" + source + "); use e.g. latest,1.2.3");
        }
        return new Tags(List.copyOf(tags), source);
    }

    public record Expected(Digest digest, String source) {}

    public static Expected expected(String digest, Path digestFile, Path workspace) throws InvalidSettingException {
        if (digest != null && !digest.isBlank()) {
            return new Expected(parseDigest("--digest", digest.trim(), "from digest"), "from digest");
        }
        if (digestFile == null) {
            return null;
        }
        Path file = digestFile.isAbsolute() ? digestFile : workspace.resolve(digestFile);
        String text;
        try {
            if (Files.size(file) > 4096) {
                throw InvalidSettingException.of("--digest-file", file + " is too large to hold one digest");
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw InvalidSettingException.of("--digest-file", file + " cannot be read (" + e.getClass().getSimpleName()
                    + "); point it at the file the push wrote, e.g. target/jib-image.digest");
        }
        String first = text.lines().map(String::trim).filter(l -> !l.isEmpty()).findFirst().orElse("");
        return new Expected(parseDigest("--digest-file", first, "from " + file), "from " + file);
    }

    private static Digest parseDigest(String option, String text, String source) throws InvalidSettingException {
        try {
            Digest d = Digest.parse(text);
            if (!d.verifiable()) {
                throw InvalidSettingException.of(option, "algorithm " + d.algorithm() + " (" + source + ") cannot be verified; use a sha256:<64 hex digits> digest");
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw InvalidSettingException.of(option, e.getMessage() + " (" + source + ")");
        }
    }

    public record Auth(Credentials credentials, List<String> notes) {}

    /** username/password, else docker_config, else $DOCKER_CONFIG/config.json, else ~/.docker/config.json. */
    public static Auth credentials(String username, Secret password, Secret dockerConfig, Endpoint endpoint, Map<String, String> env)
            throws InvalidSettingException {
        boolean user = username != null && !username.isBlank();
        if (user && password == null) {
            throw InvalidSettingException.of("--password", "is unset but username is set; set both, or neither for anonymous access");
        }
        if (!user && password != null) {
            throw InvalidSettingException.of("--username", "is unset but password is set; set both, or neither for anonymous access");
        }
        if (user) {
            return new Auth(new Credentials(username.trim(), password, "from username/password"), List.of());
        }
        if (dockerConfig != null) {
            try {
                DockerConfig.Lookup l = DockerConfig.find(dockerConfig.reveal(), endpoint.name(), "docker_config");
                return new Auth(l.credentials().orElse(null), notesWithMiss(l, "docker_config", endpoint));
            } catch (IllegalArgumentException e) {
                throw InvalidSettingException.of("--docker-config", e.getMessage());
            }
        }
        List<Path> candidates = new ArrayList<>();
        String dir = env.get("DOCKER_CONFIG");
        if (dir != null && !dir.isBlank()) {
            candidates.add(Path.of(dir, "config.json"));
        } else if (env.get("HOME") != null && !env.get("HOME").isBlank()) {
            candidates.add(Path.of(env.get("HOME"), ".docker", "config.json"));
        }
        for (Path p : candidates) {
            if (!Files.isRegularFile(p)) {
                continue;
            }
            try {
                DockerConfig.Lookup l = DockerConfig.find(Files.readString(p, StandardCharsets.UTF_8), endpoint.name(), p.toString());
                return new Auth(l.credentials().orElse(null), l.notes());
            } catch (IOException | IllegalArgumentException e) {
                return new Auth(null, List.of(p + " is not usable (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                        + "); going on anonymously"));
            }
        }
        return new Auth(null, List.of());
    }

    private static List<String> notesWithMiss(DockerConfig.Lookup l, String source, Endpoint endpoint) {
        List<String> notes = new ArrayList<>(l.notes());
        if (l.credentials().isEmpty()) {
            notes.add(source + " has no credentials for " + endpoint.name() + "; going on anonymously");
        }
        return notes;
    }

    public static Optional<String> checkUrl(String url) {
        okhttp3.HttpUrl u = okhttp3.HttpUrl.parse(url == null ? "" : url.trim());
        return u == null ? Optional.of("'" + url + "' is not an http(s) URL") : Optional.empty();
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 37) + "..." : s;
    }
}
