package io.longshore.deploy.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.longshore.deploy.apply.UpdatePlan.Removal;
import io.longshore.deploy.apply.UpdatePlan.ServiceChange;
import io.longshore.deploy.convert.DeployPlan;
import io.longshore.deploy.convert.DeployPlan.DataSource;
import io.longshore.deploy.convert.DeployPlan.FileObjectPlan;
import io.longshore.kit.engine.Engine;
import io.longshore.kit.engine.EngineReader;
import io.longshore.kit.engine.Filter;
import io.longshore.kit.engine.model.SwarmObject;
import io.longshore.kit.output.Events;
import io.longshore.kit.output.Masker;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Carries out a {@link DeployPlan} (a fresh stack) or an {@link UpdatePlan} (over a running one)
 * on the engine, in the order {@code docker stack deploy} uses: check that external objects exist,
 * create networks, secrets and configs, then services with the secret and config IDs filled in.
 * It decides nothing the plan does not say. Generated secret values go to the masker and nowhere else.
 */
public final class StackApplier {
    private final Engine engine;
    private final EngineReader reader;
    private final Events events;
    private final Masker masker;
    private final Map<String, String> env;
    private final SecureRandom random = new SecureRandom();

    /** What was created, by kind, in creation order: names. */
    public record Created(List<String> networks, List<String> secrets, List<String> configs, List<String> services) {
        public List<String> all() {
            List<String> out = new ArrayList<>();
            networks.forEach(n -> out.add("network " + n));
            secrets.forEach(n -> out.add("secret " + n));
            configs.forEach(n -> out.add("config " + n));
            services.forEach(n -> out.add("service " + n));
            return out;
        }
    }

    /** @param env the release's env, which secret and config contents may come from */
    public StackApplier(Engine engine, Events events, Masker masker, Map<String, String> env) {
        this.engine = engine;
        this.reader = engine.read();
        this.events = events;
        this.masker = masker;
        this.env = env;
    }

    /** Creates every object of {@code plan}. */
    public Created create(DeployPlan plan) {
        requireExternals(plan);
        List<String> networks = new ArrayList<>();
        for (DeployPlan.NetworkPlan n : plan.networks()) {
            events.progress("creating network " + n.name());
            engine.post("/networks/create", n.spec());
            networks.add(n.name());
        }
        Map<String, String> secretIds = ids(reader::secrets, plan.externals().secrets());
        List<String> secrets = new ArrayList<>();
        for (FileObjectPlan s : plan.secrets()) {
            events.progress("creating secret " + s.name());
            secretIds.put(s.name(), create("/secrets/create", s));
            secrets.add(s.name());
        }
        Map<String, String> configIds = ids(reader::configs, plan.externals().configs());
        List<String> configs = new ArrayList<>();
        for (FileObjectPlan c : plan.configs()) {
            events.progress("creating config " + c.name());
            configIds.put(c.name(), create("/configs/create", c));
            configs.add(c.name());
        }
        List<String> services = new ArrayList<>();
        for (DeployPlan.ServicePlan s : plan.services()) {
            events.progress("creating service " + s.name());
            engine.post("/services/create", withIds(s.spec(), secretIds, configIds));
            services.add(s.name());
        }
        return new Created(networks, secrets, configs, services);
    }

    /** Carries out {@code update} (planned from the live stack against {@code target}). */
    public void update(UpdatePlan update, DeployPlan target) {
        requireExternals(target);
        for (DeployPlan.NetworkPlan n : update.createNetworks()) {
            events.progress("creating network " + n.name());
            engine.post("/networks/create", n.spec());
        }
        for (FileObjectPlan s : update.createSecrets()) {
            events.progress("creating secret " + s.name());
            create("/secrets/create", s);
        }
        for (FileObjectPlan c : update.createConfigs()) {
            String was = update.recreatedConfigs().stream().filter(r -> r.newName().equals(c.name())).map(UpdatePlan.Recreated::oldName)
                    .findFirst().map(o -> " (" + o + " with the new version's content)").orElse("");
            events.progress("creating config " + c.name() + was);
            create("/configs/create", c);
        }
        List<String> secretNames = new ArrayList<>(target.externals().secrets());
        target.secrets().forEach(x -> secretNames.add(x.name()));
        List<String> configNames = new ArrayList<>(target.externals().configs());
        update.services().forEach(s -> s.target().spec().path("TaskTemplate").path("ContainerSpec").path("Configs")
                .forEach(ref -> configNames.add(ref.path("ConfigName").asText())));
        Map<String, String> secretIds = ids(reader::secrets, secretNames);
        Map<String, String> configIds = ids(reader::configs, configNames);
        for (ServiceChange s : update.services()) {
            ObjectNode spec = withIds(s.target().spec(), secretIds, configIds);
            switch (s) {
                case ServiceChange.Create c -> {
                    events.progress("creating service " + c.target().name());
                    engine.post("/services/create", spec);
                }
                case ServiceChange.Update u -> {
                    events.progress("updating service " + u.target().name());
                    engine.post("/services/" + encode(u.id()) + "/update?version=" + u.version(), spec);
                }
            }
        }
        for (Removal gone : update.removeServices()) {
            events.progress("removing service " + gone.name() + " (not in the new version)");
            engine.delete("/services/" + encode(gone.id()));
        }
    }

    private static ObjectNode withIds(ObjectNode serviceSpec, Map<String, String> secretIds, Map<String, String> configIds) {
        ObjectNode spec = serviceSpec.deepCopy();
        JsonNode container = spec.path("TaskTemplate").path("ContainerSpec");
        container.path("Secrets").forEach(ref -> ((ObjectNode) ref).put("SecretID", id(secretIds, "secret", ref.path("SecretName").asText())));
        container.path("Configs").forEach(ref -> ((ObjectNode) ref).put("ConfigID", id(configIds, "config", ref.path("ConfigName").asText())));
        return spec;
    }

    private static String id(Map<String, String> ids, String kind, String name) {
        String id = ids.get(name);
        if (id == null) {
            throw new ApplyException("the " + kind + " " + name + " does not exist");
        }
        return id;
    }

    private void requireExternals(DeployPlan plan) {
        List<String> missing = missingExternals(plan);
        if (!missing.isEmpty()) {
            throw new ApplyException("the recipe needs external objects that do not exist: " + String.join(", ", missing)
                    + " (external objects are never created)");
        }
    }

    /** Every external network, secret, config and volume the plan needs that the engine does not have. */
    public List<String> missingExternals(DeployPlan plan) {
        List<String> missing = new ArrayList<>();
        for (String n : plan.externals().networks()) {
            if (reader.network(n).isEmpty()) {
                missing.add("network " + n);
            }
        }
        Map<String, String> secrets = ids(reader::secrets, plan.externals().secrets());
        plan.externals().secrets().stream().filter(s -> !secrets.containsKey(s)).forEach(s -> missing.add("secret " + s));
        Map<String, String> configs = ids(reader::configs, plan.externals().configs());
        plan.externals().configs().stream().filter(c -> !configs.containsKey(c)).forEach(c -> missing.add("config " + c));
        for (String v : plan.externals().volumes()) {
            if (reader.volume(v).isEmpty()) {
                missing.add("volume " + v);
            }
        }
        return missing;
    }

    /** Name to ID for the named secrets or configs (the engine's name filter matches substrings; exact names are kept). */
    private static Map<String, String> ids(Function<Filter, List<SwarmObject>> list, List<String> names) {
        Map<String, String> out = new HashMap<>();
        if (names.isEmpty()) {
            return out;
        }
        for (SwarmObject o : list.apply(Filter.name(names.toArray(String[]::new)))) {
            if (names.contains(o.name())) {
                out.put(o.name(), o.id());
            }
        }
        return out;
    }

    private String create(String path, FileObjectPlan object) {
        ObjectNode spec = object.spec().deepCopy();
        byte[] data = object.source() instanceof DataSource.Random r ? random(r) : ObjectData.of(object, env);
        if (data != null) {
            spec.put("Data", Base64.getEncoder().encodeToString(data));
        }
        return engine.post(path, spec).path("ID").asText();
    }

    private byte[] random(DataSource.Random r) {
        String value = r.charset().random(r.length(), random);
        masker.add(value);
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
