package io.longshore.deploy.apply;

import io.longshore.deploy.convert.DeployPlan.FileObjectPlan;
import io.longshore.deploy.convert.DeployPlan.NetworkPlan;
import io.longshore.deploy.convert.DeployPlan.ServicePlan;
import java.util.ArrayList;
import java.util.List;

/**
 * What updating a running stack to a target plan does, decided before anything is written, as
 * {@code docker stack deploy} does over a running stack: networks, secrets and configs that do not
 * exist yet are created; a config whose content changed is re-created under a name of its own
 * (configs are immutable) and its services point at the new name; services that run are updated
 * in place at their version (swarm rolls their tasks and keeps their volumes), new ones created,
 * and the stack's services the target no longer has are removed. {@link StackApplier} carries it out.
 */
public record UpdatePlan(String stack, List<NetworkPlan> createNetworks, List<FileObjectPlan> createSecrets,
                         List<FileObjectPlan> createConfigs, List<Recreated> recreatedConfigs, List<ServiceChange> services,
                         List<Removal> removeServices, List<String> kept) {

    public UpdatePlan {
        createNetworks = List.copyOf(createNetworks);
        createSecrets = List.copyOf(createSecrets);
        createConfigs = List.copyOf(createConfigs);
        recreatedConfigs = List.copyOf(recreatedConfigs);
        services = List.copyOf(services);
        removeServices = List.copyOf(removeServices);
        kept = List.copyOf(kept);
    }

    /** A config whose content changed: created as {@code newName}, which its services mount instead of {@code oldName}. */
    public record Recreated(String oldName, String newName, String oldDigest, String newDigest) {}

    /** A service of the target: created, or updated in place. */
    public sealed interface ServiceChange {
        ServicePlan target();

        record Create(ServicePlan target) implements ServiceChange {}

        /**
         * {@code id} and {@code version} are null in a projected plan (filled from the live stack when
         * it runs); {@code changes} says in words what differs ("image a → b", "label x added"), empty
         * when the spec is the same.
         */
        record Update(ServicePlan target, String id, Long version, List<String> changes) implements ServiceChange {
            public Update {
                changes = List.copyOf(changes);
            }
        }
    }

    /** A service of the stack that the target no longer has. */
    public record Removal(String name, String id) {}

    /** Every change as a line, for the console and dry_run. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        createNetworks.forEach(n -> out.add("create  network " + n.name()));
        createSecrets.forEach(s -> out.add("create  secret " + s.name()));
        for (FileObjectPlan c : createConfigs) {
            Recreated r = recreatedConfigs.stream().filter(x -> x.newName().equals(c.name())).findFirst().orElse(null);
            out.add(r == null ? "create  config " + c.name()
                    : "create  config " + c.name() + " (re-created: the content of " + r.oldName() + " changed)");
        }
        for (ServiceChange s : services) {
            switch (s) {
                case ServiceChange.Create c -> out.add("create  service " + c.target().name());
                case ServiceChange.Update u -> out.add("update  service " + u.target().name() + " in place"
                        + (u.changes().isEmpty() ? " (no change)" : ": " + String.join("; ", u.changes())));
            }
        }
        removeServices.forEach(r -> out.add("remove  service " + r.name() + " (not in the new release)"));
        kept.forEach(k -> out.add("keep    " + k));
        return out;
    }

    /** Services this plan updates in place, by name. */
    public List<String> updated() {
        return services.stream().filter(s -> s instanceof ServiceChange.Update).map(s -> s.target().name()).toList();
    }

    public List<String> created() {
        List<String> out = new ArrayList<>();
        createNetworks.forEach(n -> out.add("network " + n.name()));
        createSecrets.forEach(s -> out.add("secret " + s.name()));
        createConfigs.forEach(c -> out.add("config " + c.name()));
        services.stream().filter(s -> s instanceof ServiceChange.Create).forEach(s -> out.add("service " + s.target().name()));
        return out;
    }
}
