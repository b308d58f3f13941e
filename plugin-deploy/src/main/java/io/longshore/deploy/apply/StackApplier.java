package io.longshore.deploy.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.longshore.deploy.convert.DeployPlan;
import io.longshore.deploy.convert.DeployPlan.DataSource;
import io.longshore.deploy.convert.DeployPlan.FileObjectPlan;
import io.longshore.kit.engine.Engine;
import io.longshore.kit.engine.EngineApiException;
import io.longshore.kit.output.Events;
import io.longshore.kit.output.Masker;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Carries out a {@link DeployPlan} on the engine, in the order {@code docker stack deploy} uses:
 * check that external objects exist, create networks, secrets and configs, then services with the
 * secret and config IDs filled in. Generated secret values go to the masker and nowhere else.
 */
public final class StackApplier {
    private final Engine engine;
    private final Events events;
    private final Masker masker;
    private final Map<String, String> env;
    private final SecureRandom random = new SecureRandom();

    /** What was created, by kind, in creation order: names and IDs. */
    public record Created(List<String> networks, List<String> secrets, List<String> configs, List<String> services) {}

    public StackApplier(Engine engine, Events events, Masker masker, Map<String, String> env) {
        this.engine = engine;
        this.events = events;
        this.masker = masker;
        this.env = env;
    }

    public Created apply(DeployPlan plan) {
        List<String> missing = missingExternals(plan);
        if (!missing.isEmpty()) {
            throw new ApplyException("the recipe needs external objects that do not exist: " + String.join(", ", missing)
                    + " (external objects are never created)");
        }
        List<String> networks = new ArrayList<>();
        for (DeployPlan.NetworkPlan n : plan.networks()) {
            events.progress("creating network " + n.name());
            engine.post("/networks/create", n.spec());
            networks.add(n.name());
        }
        Map<String, String> secretIds = ids("/secrets", plan.externals().secrets());
        List<String> secrets = new ArrayList<>();
        for (FileObjectPlan s : plan.secrets()) {
            events.progress("creating secret " + s.name());
            secretIds.put(s.name(), create("/secrets/create", s));
            secrets.add(s.name());
        }
        Map<String, String> configIds = ids("/configs", plan.externals().configs());
        List<String> configs = new ArrayList<>();
        for (FileObjectPlan c : plan.configs()) {
            events.progress("creating config " + c.name());
            configIds.put(c.name(), create("/configs/create", c));
            configs.add(c.name());
        }
        List<String> services = new ArrayList<>();
        for (DeployPlan.ServicePlan s : plan.services()) {
            ObjectNode spec = s.spec().deepCopy();
            JsonNode container = spec.path("TaskTemplate").path("ContainerSpec");
            container.path("Secrets").forEach(ref -> ((ObjectNode) ref).put("SecretID", id(secretIds, "secret", ref.path("SecretName").asText())));
            container.path("Configs").forEach(ref -> ((ObjectNode) ref).put("ConfigID", id(configIds, "config", ref.path("ConfigName").asText())));
            events.progress("creating service " + s.name());
            engine.post("/services/create", spec);
            services.add(s.name());
        }
        return new Created(networks, secrets, configs, services);
    }

    /** What an update changed, by kind: names. */
    public record Updated(List<String> created, List<String> updated, List<String> removed) {}

    /**
     * Applies {@code plan} over the stack it names as {@code docker stack deploy} does over a running
     * stack: networks, secrets and configs that do not exist yet are created (existing ones are
     * kept: a changed secret or config has a new versioned name), services that exist are updated in
     * place at their current version index (so swarm rolls their tasks and keeps their volumes),
     * new ones are created, and the stack's services the plan no longer has are removed.
     */
    public Updated update(DeployPlan plan) {
        List<String> missing = missingExternals(plan);
        if (!missing.isEmpty()) {
            throw new ApplyException("the recipe needs external objects that do not exist: " + String.join(", ", missing)
                    + " (external objects are never created)");
        }
        List<String> created = new ArrayList<>();
        List<String> updated = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        for (DeployPlan.NetworkPlan n : plan.networks()) {
            if (!exists("/networks/" + encode(n.name()))) {
                events.progress("creating network " + n.name());
                engine.post("/networks/create", n.spec());
                created.add("network " + n.name());
            }
        }
        List<String> secretNames = new ArrayList<>(plan.externals().secrets());
        plan.secrets().forEach(x -> secretNames.add(x.name()));
        Map<String, String> secretIds = ids("/secrets", secretNames);
        for (FileObjectPlan x : plan.secrets()) {
            if (!secretIds.containsKey(x.name())) {
                events.progress("creating secret " + x.name());
                secretIds.put(x.name(), create("/secrets/create", x));
                created.add("secret " + x.name());
            }
        }
        List<String> configNames = new ArrayList<>(plan.externals().configs());
        plan.configs().forEach(x -> configNames.add(x.name()));
        Map<String, String> configIds = ids("/configs", configNames);
        Map<String, String> renamed = new HashMap<>();
        for (FileObjectPlan x : plan.configs()) {
            String existing = configIds.get(x.name());
            if (existing == null) {
                events.progress("creating config " + x.name());
                configIds.put(x.name(), create("/configs/create", x));
                created.add("config " + x.name());
                continue;
            }
            byte[] data = data(x);
            String had = engine.get("/configs/" + encode(existing)).path("Spec").path("Data").asText("");
            if (data != null && !had.equals(Base64.getEncoder().encodeToString(data))) {
                // configs are immutable: the new content goes under a name of its own, as recipes
                // that version their config names do by hand; the old one goes with the run
                String name = x.name() + "_" + HexFormat.of().formatHex(sha256(data)).substring(0, 8);
                if (!ids("/configs", List.of(name)).containsKey(name)) {
                    events.progress("creating config " + name + " (" + x.name() + " with the new version's content)");
                    ObjectNode spec = x.spec().deepCopy();
                    spec.put("Name", name);
                    spec.put("Data", Base64.getEncoder().encodeToString(data));
                    configIds.put(name, engine.post("/configs/create", spec).path("ID").asText());
                    created.add("config " + name);
                } else {
                    configIds.putAll(ids("/configs", List.of(name)));
                }
                renamed.put(x.name(), name);
            }
        }
        Map<String, JsonNode> existing = new HashMap<>();
        String filter = "{\"label\":[\"com.docker.stack.namespace=" + plan.stack() + "\"]}";
        for (JsonNode svc : engine.get("/services?filters=" + encode(filter))) {
            existing.put(svc.path("Spec").path("Name").asText(), svc);
        }
        for (DeployPlan.ServicePlan s : plan.services()) {
            ObjectNode spec = s.spec().deepCopy();
            JsonNode container = spec.path("TaskTemplate").path("ContainerSpec");
            container.path("Secrets").forEach(ref -> ((ObjectNode) ref).put("SecretID", id(secretIds, "secret", ref.path("SecretName").asText())));
            container.path("Configs").forEach(ref -> {
                String name = renamed.getOrDefault(ref.path("ConfigName").asText(), ref.path("ConfigName").asText());
                ((ObjectNode) ref).put("ConfigName", name).put("ConfigID", id(configIds, "config", name));
            });
            JsonNode current = existing.remove(s.name());
            if (current == null) {
                events.progress("creating service " + s.name());
                engine.post("/services/create", spec);
                created.add("service " + s.name());
            } else {
                events.progress("updating service " + s.name());
                long version = current.path("Version").path("Index").asLong();
                engine.post("/services/" + encode(current.path("ID").asText()) + "/update?version=" + version, spec);
                updated.add("service " + s.name());
            }
        }
        for (Map.Entry<String, JsonNode> gone : existing.entrySet()) {
            events.progress("removing service " + gone.getKey() + " (not in the new version)");
            engine.delete("/services/" + encode(gone.getValue().path("ID").asText()));
            removed.add("service " + gone.getKey());
        }
        return new Updated(created, updated, removed);
    }

    private static String id(Map<String, String> ids, String kind, String name) {
        String id = ids.get(name);
        if (id == null) {
            throw new ApplyException("the " + kind + " " + name + " does not exist");
        }
        return id;
    }

    /** Every external network, secret, config and volume the plan needs that the engine does not have. */
    public List<String> missingExternals(DeployPlan plan) {
        List<String> missing = new ArrayList<>();
        for (String n : plan.externals().networks()) {
            if (!exists("/networks/" + encode(n))) {
                missing.add("network " + n);
            }
        }
        Map<String, String> secrets = ids("/secrets", plan.externals().secrets());
        plan.externals().secrets().stream().filter(s -> !secrets.containsKey(s)).forEach(s -> missing.add("secret " + s));
        Map<String, String> configs = ids("/configs", plan.externals().configs());
        plan.externals().configs().stream().filter(c -> !configs.containsKey(c)).forEach(c -> missing.add("config " + c));
        for (String v : plan.externals().volumes()) {
            if (!exists("/volumes/" + encode(v))) {
                missing.add("volume " + v);
            }
        }
        return missing;
    }

    private boolean exists(String path) {
        try {
            engine.get(path);
            return true;
        } catch (EngineApiException e) {
            if (e.status() == 404) {
                return false;
            }
            throw e;
        }
    }

    /** Name to ID for the named secrets or configs (the engine's name filter matches substrings; exact names are kept). */
    private Map<String, String> ids(String path, List<String> names) {
        Map<String, String> out = new HashMap<>();
        if (names.isEmpty()) {
            return out;
        }
        StringBuilder filter = new StringBuilder("{\"name\":[");
        for (int i = 0; i < names.size(); i++) {
            filter.append(i == 0 ? "" : ",").append('"').append(names.get(i).replace("\"", "")).append('"');
        }
        filter.append("]}");
        for (JsonNode o : engine.get(path + "?filters=" + encode(filter.toString()))) {
            String name = o.path("Spec").path("Name").asText();
            if (names.contains(name)) {
                out.put(name, o.path("ID").asText());
            }
        }
        return out;
    }

    private String create(String path, FileObjectPlan object) {
        ObjectNode spec = object.spec().deepCopy();
        byte[] data = data(object);
        if (data != null) {
            spec.put("Data", Base64.getEncoder().encodeToString(data));
        }
        return engine.post(path, spec).path("ID").asText();
    }

    private byte[] data(FileObjectPlan object) {
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
            case DataSource.Random r -> {
                String value = r.charset().random(r.length(), random);
                masker.add(value);
                yield value.getBytes(StandardCharsets.UTF_8);
            }
            case DataSource.Driver d -> null;
        };
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
