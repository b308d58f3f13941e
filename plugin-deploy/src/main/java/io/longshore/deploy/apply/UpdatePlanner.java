package io.longshore.deploy.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.longshore.deploy.apply.UpdatePlan.Recreated;
import io.longshore.deploy.apply.UpdatePlan.Removal;
import io.longshore.deploy.apply.UpdatePlan.ServiceChange;
import io.longshore.deploy.apply.LiveStack.LiveService;
import io.longshore.deploy.convert.DeployPlan;
import io.longshore.deploy.convert.DeployPlan.FileObjectPlan;
import io.longshore.deploy.convert.DeployPlan.ServicePlan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/** Computes the {@link UpdatePlan} from a live (or projected) stack to a target plan. Pure. */
public final class UpdatePlanner {
    private UpdatePlanner() {}

    /**
     * @param env the target release's env, which config contents may come from
     */
    public static UpdatePlan plan(LiveStack live, DeployPlan target, Map<String, String> env) {
        List<DeployPlan.NetworkPlan> networks = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        for (DeployPlan.NetworkPlan n : target.networks()) {
            if (live.networks().contains(n.name())) {
                kept.add("network " + n.name());
            } else {
                networks.add(n);
            }
        }
        List<FileObjectPlan> secrets = new ArrayList<>();
        for (FileObjectPlan s : target.secrets()) {
            if (live.secrets().contains(s.name())) {
                kept.add("secret " + s.name());
            } else {
                secrets.add(s);
            }
        }
        List<FileObjectPlan> configs = new ArrayList<>();
        List<Recreated> recreated = new ArrayList<>();
        Map<String, String> renamed = new HashMap<>();
        for (FileObjectPlan c : target.configs()) {
            String had = live.configDigests().get(c.name());
            if (had == null) {
                configs.add(c);
                continue;
            }
            byte[] data = ObjectData.of(c, env);
            String digest = data == null ? had : ObjectData.sha256(data);
            if (digest.equals(had)) {
                kept.add("config " + c.name());
                continue;
            }
            String name = c.name() + "_" + digest.substring(0, 8);
            renamed.put(c.name(), name);
            recreated.add(new Recreated(c.name(), name, had, digest));
            if (live.configDigests().containsKey(name)) {
                kept.add("config " + name + " (" + c.name() + " with the new content, from an earlier update)");
            } else {
                ObjectNode spec = c.spec().deepCopy();
                spec.put("Name", name);
                configs.add(new FileObjectPlan(name, c.source(), spec));
            }
        }
        Map<String, LiveService> running = new LinkedHashMap<>(live.services());
        List<ServiceChange> services = new ArrayList<>();
        for (ServicePlan s : target.services()) {
            ServicePlan t = renamed.isEmpty() ? s : new ServicePlan(s.name(), s.shortName(), withConfigNames(s.spec(), renamed));
            LiveService current = running.remove(s.name());
            services.add(current == null ? new ServiceChange.Create(t)
                    : new ServiceChange.Update(t, current.id(), current.version(), changes(current.spec(), t.spec())));
        }
        List<Removal> removals = running.values().stream().map(r -> new Removal(r.name(), r.id())).toList();
        return new UpdatePlan(target.stack(), networks, secrets, configs, recreated, services, removals, kept);
    }

    private static ObjectNode withConfigNames(ObjectNode spec, Map<String, String> renamed) {
        ObjectNode copy = spec.deepCopy();
        copy.path("TaskTemplate").path("ContainerSpec").path("Configs").forEach(ref -> {
            String name = ref.path("ConfigName").asText();
            if (renamed.containsKey(name)) {
                ((ObjectNode) ref).put("ConfigName", renamed.get(name));
            }
        });
        return copy;
    }

    /**
     * What an update changes in the parts of a service a recipe release changes, in words. The live
     * spec carries the engine's defaults beside what longshore wrote, so only these parts are
     * compared, each as a whole.
     */
    static List<String> changes(ObjectNode live, ObjectNode target) {
        List<String> out = new ArrayList<>();
        JsonNode lc = live.path("TaskTemplate").path("ContainerSpec");
        JsonNode tc = target.path("TaskTemplate").path("ContainerSpec");
        String li = image(lc.path("Image").asText(""));
        String ti = image(tc.path("Image").asText(""));
        if (!li.equals(ti)) {
            out.add("image " + li + " → " + ti);
        }
        labels("label", live.path("Labels"), target.path("Labels"), out);
        labels("container label", lc.path("Labels"), tc.path("Labels"), out);
        env(lc.path("Env"), tc.path("Env"), out);
        same("command", lc.path("Command"), tc.path("Command"), out);
        same("args", lc.path("Args"), tc.path("Args"), out);
        same("mounts", targets(lc.path("Mounts"), "Target", "Source"), targets(tc.path("Mounts"), "Target", "Source"), out);
        same("configs", targets(lc.path("Configs"), "ConfigName", "File"), targets(tc.path("Configs"), "ConfigName", "File"), out);
        same("secrets", targets(lc.path("Secrets"), "SecretName", "File"), targets(tc.path("Secrets"), "SecretName", "File"), out);
        same("mode", live.path("Mode"), target.path("Mode"), out);
        same("ports", ports(live.path("EndpointSpec").path("Ports")), ports(target.path("EndpointSpec").path("Ports")), out);
        // not networks: the engine keeps a task template's networks by ID where a plan names them
        return out;
    }

    /** The engine pins a tag to a digest ({@code name:tag@sha256:...}) when it resolves an image; a release names the tag. */
    private static String image(String ref) {
        int at = ref.indexOf('@');
        return at > 0 && ref.substring(0, at).contains(":") ? ref.substring(0, at) : ref;
    }

    private static void labels(String what, JsonNode live, JsonNode target, List<String> out) {
        TreeSet<String> keys = new TreeSet<>();
        live.fieldNames().forEachRemaining(keys::add);
        target.fieldNames().forEachRemaining(keys::add);
        for (String k : keys) {
            JsonNode a = live.get(k);
            JsonNode b = target.get(k);
            if (a == null) {
                out.add(what + " " + k + "=" + b.asText() + " added");
            } else if (b == null) {
                out.add(what + " " + k + " removed");
            } else if (!a.asText().equals(b.asText()) && !volatileLabel(k)) {
                out.add(what + " " + k + " " + a.asText() + " → " + b.asText());
            }
        }
    }

    /** Labels that differ on every run by design (its creation and expiry times). */
    private static boolean volatileLabel(String key) {
        return key.equals("io.longshore.created") || key.equals("io.longshore.expires");
    }

    private static void env(JsonNode live, JsonNode target, List<String> out) {
        Map<String, String> a = envMap(live);
        Map<String, String> b = envMap(target);
        TreeSet<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        for (String k : keys) {
            if (!a.containsKey(k)) {
                out.add("env " + k + " added");
            } else if (!b.containsKey(k)) {
                out.add("env " + k + " removed");
            } else if (!Objects.equals(a.get(k), b.get(k))) {
                // values may be secrets: say which variable changed, never to what
                out.add("env " + k + " changed");
            }
        }
    }

    private static Map<String, String> envMap(JsonNode env) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Iterator<JsonNode> it = env.elements(); it.hasNext(); ) {
            String e = it.next().asText();
            int eq = e.indexOf('=');
            m.put(eq < 0 ? e : e.substring(0, eq), eq < 0 ? null : e.substring(eq + 1));
        }
        return m;
    }

    private static void same(String what, JsonNode live, JsonNode target, List<String> out) {
        if (!normal(live).equals(normal(target))) {
            out.add(what + " changed");
        }
    }

    /** Absent, null and empty are the same "none". */
    private static JsonNode normal(JsonNode n) {
        return n == null || n.isMissingNode() || n.isNull() || (n.isContainerNode() && n.isEmpty())
                ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : n;
    }

    private static JsonNode ports(JsonNode list) {
        TreeSet<String> items = new TreeSet<>();
        list.forEach(p -> items.add(p.path("PublishedPort").asInt(0) + ":" + p.path("TargetPort").asInt(0) + "/"
                + p.path("Protocol").asText("tcp") + "/" + p.path("PublishMode").asText("ingress")));
        com.fasterxml.jackson.databind.node.ArrayNode a = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        items.forEach(a::add);
        return a;
    }

    /** A list of objects reduced to "key:value" strings, sorted: the parts an update really changes. */
    private static JsonNode targets(JsonNode list, String key, String value) {
        TreeSet<String> items = new TreeSet<>();
        list.forEach(i -> items.add(i.path(key).asText() + ":" + i.path(value).toString()));
        com.fasterxml.jackson.databind.node.ArrayNode a = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        items.forEach(a::add);
        return a;
    }
}
