package io.longshore.deploy.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.longshore.deploy.recipe.RecipeException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Turns one file's short syntax into the long form, so that overlays can be merged key by key and
 * the converter reads one shape: environment and labels as maps, ports, volumes, secrets and
 * configs as objects, service networks as a map, commands as word lists, relative bind and file
 * paths made absolute against the project directory (the first file's directory).
 */
public final class ComposeNormalizer {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private ComposeNormalizer() {}

    public static ObjectNode normalize(ObjectNode file, String fileName, Path projectDir, Map<String, String> env) {
        ObjectNode out = file.deepCopy();
        JsonNode services = out.get("services");
        if (services instanceof ObjectNode svcs) {
            svcs.properties().forEach(e -> {
                if (!(e.getValue() instanceof ObjectNode)) {
                    if (e.getValue().isNull()) {
                        svcs.set(e.getKey(), F.objectNode());
                        return;
                    }
                    throw new RecipeException(fileName + ": service " + e.getKey() + " must be a mapping");
                }
            });
            svcs.properties().forEach(e -> service((ObjectNode) e.getValue(), fileName + " service " + e.getKey(), projectDir, env));
        }
        for (String top : List.of("networks", "volumes", "secrets", "configs")) {
            if (out.get(top) instanceof ObjectNode objs) {
                objs.properties().forEach(e -> {
                    if (e.getValue().isNull()) {
                        objs.set(e.getKey(), F.objectNode());
                    } else if (e.getValue() instanceof ObjectNode o) {
                        mapField(o, "labels");
                        mapField(o, "driver_opts");
                        if (o.get("external") instanceof ObjectNode ext) {
                            // the legacy form external: {name: x}
                            if (ext.hasNonNull("name") && !o.has("name")) {
                                o.set("name", ext.get("name"));
                            }
                            o.put("external", true);
                        }
                        if (o.path("external").asBoolean(false) && !o.hasNonNull("name")) {
                            // an external object is looked up by its own name, never scoped to the stack
                            o.put("name", e.getKey());
                        }
                        if (o.hasNonNull("file")) {
                            o.put("file", projectDir.resolve(o.get("file").asText()).normalize().toString());
                        }
                    }
                });
            }
        }
        return out;
    }

    private static void service(ObjectNode s, String where, Path dir, Map<String, String> env) {
        mapField(s, "environment");
        mapField(s, "labels");
        mapField(s, "sysctls");
        words(s, "command", where);
        words(s, "entrypoint", where);
        listField(s, "dns");
        listField(s, "dns_search");
        listField(s, "env_file");
        listField(s, "cap_add");
        listField(s, "cap_drop");
        listField(s, "tmpfs");
        if (s.get("env_file") instanceof ArrayNode files) {
            ArrayNode abs = F.arrayNode();
            files.forEach(f -> abs.add(dir.resolve(f.isObject() ? f.path("path").asText() : f.asText()).normalize().toString()));
            s.set("env_file", abs);
        }
        if (s.get("extra_hosts") instanceof ObjectNode hosts) {
            ArrayNode list = F.arrayNode();
            hosts.properties().forEach(e -> list.add(e.getKey() + ":" + e.getValue().asText()));
            s.set("extra_hosts", list);
        }
        if (s.get("deploy") instanceof ObjectNode deploy) {
            mapField(deploy, "labels");
        }
        if (s.get("healthcheck") instanceof ObjectNode hc && hc.get("test") != null && hc.get("test").isTextual()) {
            hc.set("test", F.arrayNode().add("CMD-SHELL").add(hc.get("test").asText()));
        }
        if (s.get("logging") instanceof ObjectNode log) {
            mapField(log, "options");
        }
        if (s.get("ulimits") instanceof ObjectNode ul) {
            ul.properties().forEach(e -> {
                if (!e.getValue().isObject()) {
                    long v = e.getValue().asLong();
                    ul.set(e.getKey(), F.objectNode().put("soft", v).put("hard", v));
                }
            });
        }
        if (s.get("networks") instanceof ArrayNode nets) {
            ObjectNode map = F.objectNode();
            nets.forEach(n -> map.putNull(n.asText()));
            s.set("networks", map);
        }
        if (s.get("ports") instanceof ArrayNode ports) {
            ArrayNode out = F.arrayNode();
            for (JsonNode p : ports) {
                if (p.isObject()) {
                    ObjectNode o = ((ObjectNode) p).deepCopy();
                    o.put("target", o.path("target").asInt());
                    if (o.has("published") && !o.get("published").isNull()) {
                        o.put("published", Integer.parseInt(o.get("published").asText()));
                    }
                    out.add(o);
                } else {
                    PortSyntax.parse(p.asText(), where).forEach(out::add);
                }
            }
            s.set("ports", out);
        }
        if (s.get("volumes") instanceof ArrayNode vols) {
            ArrayNode out = F.arrayNode();
            for (JsonNode v : vols) {
                ObjectNode o = v.isObject() ? ((ObjectNode) v).deepCopy() : VolumeSyntax.parse(v.asText(), where);
                if ("bind".equals(o.path("type").asText()) && o.hasNonNull("source")) {
                    o.put("source", VolumeSyntax.absolute(o.get("source").asText(), dir, env));
                }
                out.add(o);
            }
            s.set("volumes", out);
        }
        fileRefs(s, "secrets");
        fileRefs(s, "configs");
    }

    private static void fileRefs(ObjectNode s, String field) {
        if (s.get(field) instanceof ArrayNode refs) {
            ArrayNode out = F.arrayNode();
            refs.forEach(r -> out.add(r.isObject() ? r : F.objectNode().put("source", r.asText())));
            s.set(field, out);
        }
    }

    /** {@code - KEY=value} lists become maps; a bare {@code - KEY} maps to null (taken from the environment later). */
    static void mapField(ObjectNode o, String field) {
        if (o.get(field) instanceof ArrayNode list) {
            ObjectNode map = F.objectNode();
            for (JsonNode item : list) {
                String s = item.asText();
                int eq = s.indexOf('=');
                if (eq < 0) {
                    map.putNull(s);
                } else {
                    map.put(s.substring(0, eq), s.substring(eq + 1));
                }
            }
            o.set(field, map);
        } else if (o.get(field) instanceof ObjectNode map) {
            map.properties().forEach(e -> {
                JsonNode v = e.getValue();
                if (!v.isNull() && !v.isTextual()) {
                    map.put(e.getKey(), v.asText());
                }
            });
        }
    }

    private static void listField(ObjectNode o, String field) {
        JsonNode v = o.get(field);
        if (v != null && !v.isArray() && !v.isNull()) {
            o.set(field, F.arrayNode().add(v.asText()));
        }
    }

    private static void words(ObjectNode o, String field, String where) {
        JsonNode v = o.get(field);
        if (v != null && v.isTextual()) {
            ArrayNode a = F.arrayNode();
            try {
                ShellWords.split(v.asText()).forEach(a::add);
            } catch (IllegalArgumentException e) {
                throw new RecipeException(where + " " + field + ": " + e.getMessage());
            }
            o.set(field, a);
        } else if (v instanceof ArrayNode a) {
            ArrayNode texts = F.arrayNode();
            a.forEach(x -> texts.add(x.asText()));
            o.set(field, texts);
        }
    }
}
