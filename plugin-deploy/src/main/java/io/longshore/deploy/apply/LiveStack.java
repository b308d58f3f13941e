package io.longshore.deploy.apply;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.longshore.deploy.convert.DeployPlan;
import io.longshore.deploy.convert.DeployPlan.FileObjectPlan;
import io.longshore.kit.engine.EngineReader;
import io.longshore.kit.engine.Filter;
import io.longshore.kit.engine.model.Service;
import io.longshore.kit.engine.model.SwarmObject;
import io.longshore.kit.stack.RunLabels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What of a stack already runs, as an update sees it: its services (with the spec and version an
 * update sends back), and which of the networks, secrets and configs a target plan names exist,
 * with each config's content digest. Read from the engine before an update, or projected from the
 * plan of the release that would be running (for {@code dry_run}).
 */
public record LiveStack(String stack, Map<String, LiveService> services, Set<String> networks, Set<String> secrets,
                        Map<String, String> configDigests) {

    public LiveStack {
        services = Map.copyOf(services);
        networks = Set.copyOf(networks);
        secrets = Set.copyOf(secrets);
        configDigests = Map.copyOf(configDigests);
    }

    /** A running service: {@code id} and {@code version} are null when projected from a plan. */
    public record LiveService(String name, String id, Long version, ObjectNode spec) {}

    /** What the engine holds of {@code target}'s stack now. */
    public static LiveStack read(EngineReader engine, DeployPlan target) {
        Map<String, LiveService> services = new LinkedHashMap<>();
        for (Service s : engine.services(Filter.label(RunLabels.STACK_NAMESPACE, target.stack()))) {
            services.put(s.name(), new LiveService(s.name(), s.id(), s.version(), s.spec()));
        }
        Set<String> networks = new TreeSet<>();
        for (DeployPlan.NetworkPlan n : target.networks()) {
            if (engine.network(n.name()).isPresent()) {
                networks.add(n.name());
            }
        }
        Set<String> secrets = new TreeSet<>();
        List<String> secretNames = target.secrets().stream().map(FileObjectPlan::name).toList();
        if (!secretNames.isEmpty()) {
            engine.secrets(Filter.name(secretNames.toArray(String[]::new))).stream().map(SwarmObject::name)
                    .filter(secretNames::contains).forEach(secrets::add);
        }
        Map<String, String> configs = new LinkedHashMap<>();
        List<String> configNames = new ArrayList<>();
        for (FileObjectPlan c : target.configs()) {
            configNames.add(c.name());
        }
        if (!configNames.isEmpty()) {
            // the name filter matches substrings, so this also finds the renamed <name>_<digest> configs
            for (SwarmObject c : engine.configs(Filter.name(configNames.toArray(String[]::new)))) {
                SwarmObject full = c.data() != null ? c : engine.config(c.id()).orElse(c);
                byte[] bytes = full.bytes();
                configs.put(c.name(), bytes == null ? "" : ObjectData.sha256(bytes));
            }
        }
        return new LiveStack(target.stack(), services, networks, secrets, configs);
    }

    /** What would run once {@code running} was deployed: its services, networks, secrets and configs. */
    public static LiveStack projected(DeployPlan running, Map<String, String> env) {
        Map<String, LiveService> services = new LinkedHashMap<>();
        running.services().forEach(s -> services.put(s.name(), new LiveService(s.name(), null, null, s.spec())));
        Set<String> networks = new TreeSet<>();
        running.networks().forEach(n -> networks.add(n.name()));
        Set<String> secrets = new TreeSet<>();
        running.secrets().forEach(s -> secrets.add(s.name()));
        Map<String, String> configs = new LinkedHashMap<>();
        for (FileObjectPlan c : running.configs()) {
            byte[] data = ObjectData.of(c, env);
            configs.put(c.name(), data == null ? "" : ObjectData.sha256(data));
        }
        return new LiveStack(running.stack(), services, networks, secrets, configs);
    }
}
