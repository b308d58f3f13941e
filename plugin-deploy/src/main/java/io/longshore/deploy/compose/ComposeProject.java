package io.longshore.deploy.compose;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.longshore.deploy.recipe.RecipeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The merged, interpolated compose model of a recipe: one tree in the long syntax, the project
 * directory relative paths were resolved against, where its objects and references were written
 * (by dotted path, the last file that wrote one winning, see {@link ComposeFileReader}), and what
 * loading it had to warn about.
 */
public record ComposeProject(Path dir, ObjectNode model, Map<String, Origin> origins, List<String> warnings) {
    public ComposeProject {
        origins = Map.copyOf(origins);
        warnings = List.copyOf(warnings);
    }

    public ComposeProject(Path dir, ObjectNode model, List<String> warnings) {
        this(dir, model, Map.of(), warnings);
    }

    /** Where {@code path} ({@code configs.pg_backup.name}, {@code services.app.secrets.x}) was written, if known. */
    public java.util.Optional<Origin> origin(String path) {
        return java.util.Optional.ofNullable(origins.get(path));
    }

    public static ComposeProject load(List<Path> files, Map<String, String> env) {
        if (files.isEmpty()) {
            throw new RecipeException("no compose file to deploy");
        }
        Path dir = files.getFirst().toAbsolutePath().getParent();
        List<String> warnings = new ArrayList<>();
        List<ObjectNode> normalised = new ArrayList<>();
        Map<String, Origin> origins = new java.util.HashMap<>();
        for (Path f : files) {
            String name = dir.relativize(f.toAbsolutePath()).toString();
            String text;
            try {
                text = Files.readString(f);
            } catch (IOException e) {
                throw new RecipeException("cannot read " + f + ": " + e.getMessage(), e);
            }
            normalised.add(parse(name, text, dir, env, warnings, origins));
        }
        ObjectNode model = ComposeMerger.merge(normalised);
        foldEnvFiles(model, env);
        return new ComposeProject(dir, model, origins, warnings);
    }

    /**
     * {@code env_file:} entries are read into {@code environment} (which wins), as the docker CLI
     * does: {@code KEY=VALUE} taken verbatim, {@code #} lines skipped, a bare {@code KEY} taken from the env.
     */
    static void foldEnvFiles(ObjectNode model, Map<String, String> env) {
        if (!(model.get("services") instanceof ObjectNode services)) {
            return;
        }
        services.properties().forEach(e -> {
            if (!(e.getValue() instanceof ObjectNode s) || !(s.get("env_file") instanceof com.fasterxml.jackson.databind.node.ArrayNode files)) {
                return;
            }
            ObjectNode merged = s.objectNode();
            for (var f : files) {
                Path p = Path.of(f.asText());
                List<String> lines;
                try {
                    lines = Files.readAllLines(p);
                } catch (IOException ex) {
                    throw new RecipeException("service " + e.getKey() + ": cannot read env_file " + p + ": " + ex.getMessage(), ex);
                }
                for (String line : lines) {
                    String l = line.stripLeading();
                    if (l.isEmpty() || l.startsWith("#")) {
                        continue;
                    }
                    int eq = l.indexOf('=');
                    if (eq < 0) {
                        String key = l.strip();
                        if (env.containsKey(key)) {
                            merged.put(key, env.get(key));
                        }
                    } else {
                        merged.put(l.substring(0, eq), l.substring(eq + 1));
                    }
                }
            }
            if (s.get("environment") instanceof ObjectNode given) {
                merged.setAll(given);
            }
            s.set("environment", merged);
            s.remove("env_file");
        });
    }

    /** One file's text, interpolated and normalised; unset variables are added to {@code warnings}. */
    public static ObjectNode parse(String name, String text, Path dir, Map<String, String> env, List<String> warnings) {
        return parse(name, text, dir, env, warnings, new java.util.HashMap<>());
    }

    private static ObjectNode parse(String name, String text, Path dir, Map<String, String> env, List<String> warnings,
                                    Map<String, Origin> origins) {
        ObjectNode raw = ComposeFileReader.read(name, text, env,
                v -> warnings.add("the variable " + v + " is not set; using an empty string"), origins);
        return ComposeNormalizer.normalize(raw, name, dir, env);
    }
}
