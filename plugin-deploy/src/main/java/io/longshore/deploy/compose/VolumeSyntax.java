package io.longshore.deploy.compose;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.longshore.deploy.recipe.RecipeException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** {@code [source:]target[:options]}, the short volume syntax, in the long form. */
final class VolumeSyntax {
    private static final Set<String> PROPAGATION = Set.of("shared", "rshared", "slave", "rslave", "private", "rprivate");

    private VolumeSyntax() {}

    static ObjectNode parse(String spec, String where) {
        String[] parts = spec.split(":");
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        String source = null;
        String target;
        String options = null;
        switch (parts.length) {
            case 1 -> target = parts[0];
            case 2 -> {
                if (parts[1].startsWith("/")) {
                    source = parts[0];
                    target = parts[1];
                } else {
                    target = parts[0];
                    options = parts[1];
                }
            }
            case 3 -> {
                source = parts[0];
                target = parts[1];
                options = parts[2];
            }
            default -> throw new RecipeException(where + ": invalid volume \"" + spec + "\"");
        }
        boolean bind = source != null && (source.startsWith("/") || source.startsWith(".") || source.startsWith("~"));
        o.put("type", bind ? "bind" : "volume");
        if (source != null) {
            o.put("source", source);
        }
        o.put("target", target);
        if (options != null) {
            for (String opt : options.split(",")) {
                switch (opt) {
                    case "ro" -> o.put("read_only", true);
                    case "rw" -> o.put("read_only", false);
                    case "nocopy" -> o.putObject("volume").put("nocopy", true);
                    case "z", "Z" -> { }
                    case "consistent", "cached", "delegated" -> o.put("consistency", opt);
                    default -> {
                        if (PROPAGATION.contains(opt)) {
                            o.putObject("bind").put("propagation", opt);
                        } else {
                            throw new RecipeException(where + ": unknown volume option \"" + opt + "\" in \"" + spec + "\"");
                        }
                    }
                }
            }
        }
        return o;
    }

    static String absolute(String source, Path dir, Map<String, String> env) {
        if (source.startsWith("~")) {
            String home = env.getOrDefault("HOME", System.getProperty("user.home"));
            return Path.of(home + source.substring(1)).normalize().toString();
        }
        return source.startsWith("/") ? source : dir.resolve(source).normalize().toString();
    }
}
