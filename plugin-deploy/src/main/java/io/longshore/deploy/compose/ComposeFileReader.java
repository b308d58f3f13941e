package io.longshore.deploy.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.longshore.deploy.recipe.Interpolator;
import io.longshore.deploy.recipe.MissingVariableException;
import io.longshore.deploy.recipe.RecipeException;
import java.io.StringReader;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads one compose file into a JSON tree, interpolating every string value (not keys) as compose
 * does. It works on YAML nodes rather than Jackson's token stream because recipes use anchors,
 * aliases and {@code <<} merge keys, and because an unset required variable must be reported with
 * its file and line. Extension fields ({@code x-*}) are dropped after anchors are resolved.
 */
public final class ComposeFileReader {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private ComposeFileReader() {}

    /** {@code unset} receives "VAR (file line N)" for each variable that was unset and defaulted to empty. */
    public static ObjectNode read(String fileName, String text, Map<String, String> env, Consumer<String> unset) {
        return read(fileName, text, env, unset, new java.util.HashMap<>());
    }

    /**
     * As {@link #read(String, String, Map, Consumer)}, also putting into {@code origins} where the
     * parts a refusal has to point at were written (see {@link #origins}).
     */
    public static ObjectNode read(String fileName, String text, Map<String, String> env, Consumer<String> unset,
                                  Map<String, Origin> origins) {
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
        } catch (YAMLException e) {
            throw new RecipeException(fileName + " is not valid YAML: " + yamlProblem(e), e);
        }
        if (root == null) {
            return F.objectNode();
        }
        if (!(root instanceof MappingNode)) {
            throw new RecipeException(fileName + " must be a mapping (services:, networks:, ...)");
        }
        Set<String> reported = new LinkedHashSet<>();
        ObjectNode tree = (ObjectNode) convert(root, fileName, env, name -> {
            if (reported.add(name)) {
                unset.accept(name);
            }
        });
        tree.properties().removeIf(e -> e.getKey().startsWith("x-"));
        origins((MappingNode) root, fileName, env, origins);
        return tree;
    }

    /** One line, as the summary must be: the parser's own message quotes the file over several. */
    private static String yamlProblem(YAMLException e) {
        if (e instanceof org.yaml.snakeyaml.error.MarkedYAMLException m && m.getProblemMark() != null) {
            var mark = m.getProblemMark();
            return "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ": " + m.getProblem()
                    + (m.getContext() == null ? "" : " (" + m.getContext() + ")");
        }
        String msg = String.valueOf(e.getMessage()).strip();
        return msg.lines().findFirst().orElse(msg);
    }

    private static final java.util.List<String> OBJECT_KINDS = java.util.List.of("networks", "volumes", "secrets", "configs");

    /**
     * Records, by dotted path: each top-level network, volume, secret and config ({@code configs.x})
     * and its {@code name:} ({@code configs.x.name}); each service ({@code services.app}) and the
     * secrets, configs and networks it refers to ({@code services.app.secrets.db_password}).
     */
    private static void origins(MappingNode root, String file, Map<String, String> env, Map<String, Origin> out) {
        for (NodeTuple top : root.getValue()) {
            String kind = key(top);
            if (!(top.getValueNode() instanceof MappingNode objects)) {
                continue;
            }
            if (OBJECT_KINDS.contains(kind)) {
                for (NodeTuple o : objects.getValue()) {
                    String path = kind + "." + key(o);
                    out.put(path, origin(file, o.getKeyNode(), key(o)));
                    if (o.getValueNode() instanceof MappingNode def) {
                        for (NodeTuple f : def.getValue()) {
                            if (key(f).equals("name") && f.getValueNode() instanceof ScalarNode name) {
                                out.put(path + ".name", origin(file, name, name.getValue()));
                            }
                        }
                    }
                }
            } else if (kind.equals("services")) {
                for (NodeTuple svc : objects.getValue()) {
                    String path = "services." + key(svc);
                    out.put(path, origin(file, svc.getKeyNode(), key(svc)));
                    if (svc.getValueNode() instanceof MappingNode s) {
                        for (NodeTuple f : s.getValue()) {
                            String field = key(f);
                            if (field.equals("secrets") || field.equals("configs") || field.equals("networks")) {
                                references(path + "." + field, f.getValueNode(), file, env, out);
                            }
                        }
                    }
                }
            }
        }
    }

    private static void references(String path, Node refs, String file, Map<String, String> env, Map<String, Origin> out) {
        if (refs instanceof SequenceNode seq) {
            for (Node item : seq.getValue()) {
                Node source = item;
                if (item instanceof MappingNode m) {
                    source = m.getValue().stream().filter(t -> key(t).equals("source")).map(NodeTuple::getValueNode)
                            .findFirst().orElse(null);
                }
                if (source instanceof ScalarNode sc) {
                    out.put(path + "." + quiet(sc.getValue(), env), origin(file, sc, sc.getValue()));
                }
            }
        } else if (refs instanceof MappingNode map) {
            for (NodeTuple t : map.getValue()) {
                out.put(path + "." + key(t), origin(file, t.getKeyNode(), key(t)));
            }
        }
    }

    /** {@code s} interpolated, or as written when it cannot be: only for finding it again. */
    private static String quiet(String s, Map<String, String> env) {
        try {
            return new Interpolator(env::get, v -> {}).apply(s);
        } catch (MissingVariableException e) {
            return s;
        }
    }

    private static String key(NodeTuple t) {
        return t.getKeyNode() instanceof ScalarNode k ? k.getValue() : String.valueOf(t.getKeyNode());
    }

    private static Origin origin(String file, Node n, String raw) {
        return new Origin(file, n.getStartMark() == null ? 0 : n.getStartMark().getLine() + 1, raw);
    }

    private static JsonNode convert(Node node, String file, Map<String, String> env, Consumer<String> unset) {
        return switch (node) {
            case ScalarNode s -> scalar(s, file, env, unset);
            case SequenceNode seq -> {
                ArrayNode a = F.arrayNode();
                for (Node item : seq.getValue()) {
                    a.add(convert(item, file, env, unset));
                }
                yield a;
            }
            case MappingNode map -> {
                ObjectNode o = F.objectNode();
                mapping(map, o, file, env, unset);
                yield o;
            }
            default -> F.nullNode();
        };
    }

    private static void mapping(MappingNode map, ObjectNode into, String file, Map<String, String> env, Consumer<String> unset) {
        ObjectNode merged = null;
        for (NodeTuple t : map.getValue()) {
            Node k = t.getKeyNode();
            String key = k instanceof ScalarNode sk ? sk.getValue() : String.valueOf(k);
            if ("<<".equals(key) && (k.getTag().equals(Tag.MERGE) || k instanceof ScalarNode)) {
                merged = merged == null ? F.objectNode() : merged;
                Node v = t.getValueNode();
                if (v instanceof SequenceNode seq) {
                    for (Node m : seq.getValue()) {
                        if (m instanceof MappingNode mm) {
                            addAbsent(merged, (ObjectNode) convert(mm, file, env, unset));
                        }
                    }
                } else if (v instanceof MappingNode mm) {
                    addAbsent(merged, (ObjectNode) convert(mm, file, env, unset));
                }
                continue;
            }
            into.set(key, convert(t.getValueNode(), file, env, unset));
        }
        if (merged != null) {
            addAbsent(into, merged);
        }
    }

    private static void addAbsent(ObjectNode into, ObjectNode from) {
        from.properties().forEach(e -> {
            if (!into.has(e.getKey())) {
                into.set(e.getKey(), e.getValue());
            }
        });
    }

    /** YAML integers: decimal, 0x hex, and octal as {@code 0o440} or the {@code 0440} file modes are written in. */
    static long parseInt(String v) {
        String s = v.startsWith("+") ? v.substring(1) : v;
        boolean neg = s.startsWith("-");
        String d = neg ? s.substring(1) : s;
        long n;
        if (d.startsWith("0x") || d.startsWith("0X")) {
            n = Long.parseLong(d.substring(2), 16);
        } else if (d.startsWith("0o")) {
            n = Long.parseLong(d.substring(2), 8);
        } else if (d.length() > 1 && d.startsWith("0")) {
            n = Long.parseLong(d.substring(1), 8);
        } else {
            n = Long.parseLong(d);
        }
        return neg ? -n : n;
    }

    private static JsonNode scalar(ScalarNode s, String file, Map<String, String> env, Consumer<String> unset) {
        String v = s.getValue();
        Tag tag = s.getTag();
        if (tag.equals(Tag.NULL)) {
            return F.nullNode();
        }
        if (tag.equals(Tag.BOOL) && (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false"))) {
            return F.booleanNode(Boolean.parseBoolean(v.toLowerCase()));
        }
        if (tag.equals(Tag.INT)) {
            try {
                return F.numberNode(parseInt(v.replace("_", "")));
            } catch (NumberFormatException e) {
                return F.textNode(v);
            }
        }
        if (tag.equals(Tag.FLOAT)) {
            try {
                return F.numberNode(Double.parseDouble(v));
            } catch (NumberFormatException e) {
                return F.textNode(v);
            }
        }
        int line = s.getStartMark() == null ? 0 : s.getStartMark().getLine() + 1;
        try {
            return F.textNode(new Interpolator(env::get, name -> unset.accept(name + " (" + file + " line " + line + ")")).apply(v));
        } catch (MissingVariableException e) {
            throw new RecipeException(file + " line " + line + ": " + e.getMessage(), e);
        }
    }
}
