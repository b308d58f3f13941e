package io.longshore.deploy.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.longshore.deploy.convert.DeployPlan.DataSource;
import io.longshore.deploy.convert.DeployPlan.Externals;
import io.longshore.deploy.convert.DeployPlan.FileObjectPlan;
import io.longshore.deploy.convert.DeployPlan.NetworkPlan;
import io.longshore.deploy.convert.DeployPlan.ServicePlan;
import io.longshore.deploy.convert.DeployPlan.VolumePlan;
import io.longshore.deploy.recipe.Recipe.GeneratedSecret;
import io.longshore.deploy.recipe.RecipeException;
import io.longshore.kit.stack.RunLabels;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compose model to Swarm specs, following {@code docker stack deploy} (docker/cli
 * {@code cli/compose/convert}): names scoped as {@code <stack>_<name>} unless {@code name:} is
 * given, services without networks on {@code <stack>_default}, the short name as a network alias,
 * the stack namespace and image labels as the CLI sets them, plus longshore's run labels on every
 * object it creates. Pure: no engine, no files; a key Swarm cannot honour is named in a warning.
 */
public final class StackConverter {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String DEFAULT_NETWORK = "default";

    static final Set<String> SERVICE_KEYS = Set.of("image", "command", "entrypoint", "environment", "secrets", "configs",
            "networks", "volumes", "ports", "healthcheck", "deploy", "hostname", "user", "working_dir",
            "stop_grace_period", "stop_signal", "init", "read_only", "extra_hosts", "dns", "dns_search", "cap_add",
            "cap_drop", "sysctls", "ulimits", "logging", "labels", "tty", "stdin_open", "restart", "env_file");
    static final Set<String> DEPLOY_KEYS = Set.of("mode", "replicas", "labels", "placement", "resources",
            "restart_policy", "update_config", "rollback_config", "endpoint_mode");

    private final String stack;
    private final Map<String, String> runLabels;
    private final Map<String, String> env;
    private final List<String> warnings = new ArrayList<>();

    private StackConverter(String stack, Map<String, String> runLabels, Map<String, String> env) {
        this.stack = stack;
        this.runLabels = runLabels;
        this.env = env;
    }

    /**
     * @param model the merged compose model (long syntax, env files already folded into environment)
     * @param runLabels {@link RunLabels#of} for this run
     * @param env the recipe environment, for {@code environment:} entries without a value
     */
    public static DeployPlan convert(ObjectNode model, String stack, Map<String, String> runLabels,
                                     Map<String, String> env, List<GeneratedSecret> generated) {
        return new StackConverter(stack, runLabels, env).plan(model, generated);
    }

    /**
     * A test command run as a one-off {@code replicated-job} on the stack's networks, labelled as
     * part of the run so teardown finds it: the body of {@code POST /services/create}.
     */
    public static ObjectNode oneOffJob(String name, String stack, String image, List<String> command, List<String> networks,
                                       Map<String, String> runLabels) {
        ObjectNode spec = F.objectNode();
        spec.put("Name", name);
        ObjectNode labels = spec.putObject("Labels");
        runLabels.forEach(labels::put);
        labels.put(RunLabels.STACK_NAMESPACE, stack);
        ObjectNode task = spec.putObject("TaskTemplate");
        ObjectNode container = task.putObject("ContainerSpec");
        container.put("Image", image);
        ArrayNode args = container.putArray("Command");
        command.forEach(args::add);
        container.putObject("Labels").put(RunLabels.STACK_NAMESPACE, stack);
        task.putObject("RestartPolicy").put("Condition", "none");
        ArrayNode nets = task.putArray("Networks");
        networks.forEach(n -> nets.addObject().put("Target", n));
        spec.putObject("Mode").putObject("ReplicatedJob").put("MaxConcurrent", 1).put("TotalCompletions", 1);
        return spec;
    }

    private String scope(String name) {
        return stack + "_" + name;
    }

    private DeployPlan plan(ObjectNode model, List<GeneratedSecret> generated) {
        for (String key : iterable(model.fieldNames())) {
            if (!Set.of("version", "name", "services", "networks", "volumes", "secrets", "configs").contains(key)) {
                warnings.add("top-level " + key + " is not supported by Swarm and is ignored");
            }
        }
        ObjectNode networks = obj(model, "networks");
        ObjectNode volumes = obj(model, "volumes");
        ObjectNode secrets = obj(model, "secrets");
        ObjectNode configs = obj(model, "configs");
        ObjectNode services = obj(model, "services");

        Set<String> generatedNames = new LinkedHashSet<>();
        List<FileObjectPlan> secretPlans = new ArrayList<>();
        for (GeneratedSecret g : generated) {
            generatedNames.add(g.name());
            ObjectNode spec = F.objectNode().put("Name", g.name());
            spec.set("Labels", labels(null));
            secretPlans.add(new FileObjectPlan(g.name(), new DataSource.Random(g.length(), g.charset()), spec));
        }
        List<String> extSecrets = new ArrayList<>();
        secretPlans.addAll(fileObjects("secret", secrets, true, generatedNames, extSecrets));
        List<String> extConfigs = new ArrayList<>();
        List<FileObjectPlan> configPlans = fileObjects("config", configs, false, Set.of(), extConfigs);

        List<ServicePlan> servicePlans = new ArrayList<>();
        Set<String> usedNetworks = new TreeSet<>();
        for (Map.Entry<String, JsonNode> e : new TreeMap<>(toMap(services)).entrySet()) {
            servicePlans.add(service(e.getKey(), (ObjectNode) e.getValue(), networks, volumes, secrets, configs, usedNetworks));
        }

        List<NetworkPlan> networkPlans = new ArrayList<>();
        List<String> extNetworks = new ArrayList<>();
        for (String internal : usedNetworks) {
            ObjectNode nw = obj(networks, internal);
            if (nw.path("external").asBoolean(false)) {
                extNetworks.add(nw.path("name").asText(internal));
                continue;
            }
            String name = nw.hasNonNull("name") ? nw.get("name").asText() : scope(internal);
            ObjectNode spec = F.objectNode().put("Name", name).put("CheckDuplicate", true);
            spec.put("Driver", nw.path("driver").asText("").isEmpty() ? "overlay" : nw.get("driver").asText());
            if (nw.get("driver_opts") instanceof ObjectNode opts && !opts.isEmpty()) {
                spec.set("Options", stringMap(opts));
            }
            if (nw.path("internal").asBoolean(false)) {
                spec.put("Internal", true);
            }
            if (nw.path("attachable").asBoolean(false)) {
                spec.put("Attachable", true);
            }
            if (nw.get("ipam") instanceof ObjectNode ipam && (ipam.hasNonNull("driver") || ipam.has("config"))) {
                ObjectNode i = spec.putObject("IPAM");
                if (ipam.hasNonNull("driver")) {
                    i.put("Driver", ipam.get("driver").asText());
                }
                ArrayNode cfg = i.putArray("Config");
                ipam.path("config").forEach(c -> cfg.addObject().put("Subnet", c.path("subnet").asText()));
            }
            spec.set("Labels", labels(obj(nw, "labels")));
            warnUnknown("network " + internal, nw, Set.of("name", "driver", "driver_opts", "internal", "attachable",
                    "ipam", "labels", "external"));
            networkPlans.add(new NetworkPlan(name, spec));
        }

        List<VolumePlan> volumePlans = new ArrayList<>();
        List<String> extVolumes = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : toMap(volumes).entrySet()) {
            ObjectNode v = (ObjectNode) e.getValue();
            String name = v.hasNonNull("name") ? v.get("name").asText() : scope(e.getKey());
            if (v.path("external").asBoolean(false)) {
                extVolumes.add(v.path("name").asText(e.getKey()));
                continue;
            }
            warnUnknown("volume " + e.getKey(), v, Set.of("name", "driver", "driver_opts", "labels", "external"));
            volumePlans.add(new VolumePlan(name, toStringMap(labels(obj(v, "labels"))),
                    v.hasNonNull("driver") ? v.get("driver").asText() : null, toStringMap(obj(v, "driver_opts"))));
        }
        return new DeployPlan(stack, networkPlans, secretPlans, configPlans, volumePlans, servicePlans,
                new Externals(extNetworks, extSecrets, extConfigs, extVolumes), warnings);
    }

    private List<FileObjectPlan> fileObjects(String kind, ObjectNode defs, boolean secret, Set<String> generated, List<String> externals) {
        List<FileObjectPlan> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : toMap(defs).entrySet()) {
            ObjectNode d = (ObjectNode) e.getValue();
            String name = d.hasNonNull("name") ? d.get("name").asText() : scope(e.getKey());
            if (d.path("external").asBoolean(false)) {
                String ext = d.path("name").asText(e.getKey());
                if (!generated.contains(ext)) {
                    externals.add(ext);
                }
                continue;
            }
            ObjectNode spec = F.objectNode().put("Name", name);
            spec.set("Labels", labels(obj(d, "labels")));
            DataSource source;
            if (secret && d.hasNonNull("driver")) {
                ObjectNode drv = spec.putObject("Driver").put("Name", d.get("driver").asText());
                if (d.get("driver_opts") instanceof ObjectNode opts) {
                    drv.set("Options", stringMap(opts));
                }
                source = new DataSource.Driver();
            } else if (d.hasNonNull("file")) {
                source = new DataSource.File(d.get("file").asText());
            } else if (d.hasNonNull("environment")) {
                source = new DataSource.Variable(d.get("environment").asText());
            } else if (!secret && d.hasNonNull("content")) {
                source = new DataSource.Content(d.get("content").asText());
            } else {
                throw new RecipeException(kind + " " + e.getKey() + ": needs file:, environment:"
                        + (secret ? ", driver:" : ", content:") + " or external: true");
            }
            if (d.hasNonNull("template_driver")) {
                spec.putObject("Templating").put("Name", d.get("template_driver").asText());
            }
            warnUnknown(kind + " " + e.getKey(), d, Set.of("name", "file", "environment", "content", "external",
                    "labels", "driver", "driver_opts", "template_driver"));
            out.add(new FileObjectPlan(name, source, spec));
        }
        return out;
    }

    private ServicePlan service(String shortName, ObjectNode s, ObjectNode networks, ObjectNode volumes,
                                ObjectNode secrets, ObjectNode configs, Set<String> usedNetworks) {
        String where = "service " + shortName;
        for (String key : iterable(s.fieldNames())) {
            if (!SERVICE_KEYS.contains(key)) {
                warnings.add(where + ": " + key + " is not supported by Swarm and is ignored");
            }
        }
        if (!s.hasNonNull("image")) {
            throw new RecipeException(where + ": image is required (Swarm cannot build)");
        }
        String image = s.get("image").asText();
        ObjectNode deploy = obj(s, "deploy");
        warnUnknown(where + " deploy", deploy, DEPLOY_KEYS);

        ObjectNode spec = F.objectNode();
        spec.put("Name", scope(shortName));
        ObjectNode serviceLabels = labels(obj(deploy, "labels"));
        serviceLabels.put(RunLabels.STACK_IMAGE, image);
        spec.set("Labels", serviceLabels);

        ObjectNode task = spec.putObject("TaskTemplate");
        ObjectNode c = task.putObject("ContainerSpec");
        c.put("Image", ImageReference.normalise(image));
        ObjectNode containerLabels = stringMap(obj(s, "labels"));
        containerLabels.put(RunLabels.STACK_NAMESPACE, stack);
        c.set("Labels", containerLabels);
        copyList(s, "entrypoint", c, "Command");
        copyList(s, "command", c, "Args");
        copyText(s, "hostname", c, "Hostname");
        if (s.get("extra_hosts") instanceof ArrayNode hosts && !hosts.isEmpty()) {
            ArrayNode h = c.putArray("Hosts");
            for (JsonNode entry : hosts) {
                String t = entry.asText();
                int sep = t.indexOf('=') >= 0 ? t.indexOf('=') : t.indexOf(':');
                if (sep > 0) {
                    h.add(t.substring(sep + 1) + " " + t.substring(0, sep));
                }
            }
        }
        if (hasItems(s, "dns") || hasItems(s, "dns_search")) {
            ObjectNode dns = c.putObject("DNSConfig");
            copyList(s, "dns", dns, "Nameservers");
            copyList(s, "dns_search", dns, "Search");
        }
        if (s.get("healthcheck") instanceof ObjectNode hc) {
            c.set("Healthcheck", healthcheck(where, hc));
        }
        ArrayNode envList = environment(obj(s, "environment"));
        if (!envList.isEmpty()) {
            c.set("Env", envList);
        }
        copyText(s, "working_dir", c, "Dir");
        copyText(s, "user", c, "User");
        ArrayNode mounts = mounts(where, s.path("volumes"), volumes);
        if (!mounts.isEmpty()) {
            c.set("Mounts", mounts);
        }
        if (s.hasNonNull("stop_grace_period")) {
            c.put("StopGracePeriod", nanos(where + " stop_grace_period", s.get("stop_grace_period")));
        }
        copyText(s, "stop_signal", c, "StopSignal");
        if (s.path("tty").asBoolean(false)) {
            c.put("TTY", true);
        }
        if (s.path("stdin_open").asBoolean(false)) {
            c.put("OpenStdin", true);
        }
        if (s.path("read_only").asBoolean(false)) {
            c.put("ReadOnly", true);
        }
        ArrayNode secretRefs = fileRefs(where, "secret", s.path("secrets"), secrets, "SecretName");
        if (!secretRefs.isEmpty()) {
            c.set("Secrets", secretRefs);
        }
        ArrayNode configRefs = fileRefs(where, "config", s.path("configs"), configs, "ConfigName");
        if (!configRefs.isEmpty()) {
            c.set("Configs", configRefs);
        }
        if (s.has("init") && !s.get("init").isNull()) {
            c.put("Init", s.get("init").asBoolean());
        }
        if (s.get("sysctls") instanceof ObjectNode sysctls && !sysctls.isEmpty()) {
            c.set("Sysctls", stringMap(sysctls));
        }
        capabilities(s, c);
        if (s.get("ulimits") instanceof ObjectNode ul && !ul.isEmpty()) {
            ArrayNode out = c.putArray("Ulimits");
            new TreeMap<>(toMap(ul)).forEach((name, v) -> out.addObject().put("Name", name)
                    .put("Soft", v.path("soft").asLong()).put("Hard", v.path("hard").asLong()));
        }

        if (s.get("logging") instanceof ObjectNode log) {
            ObjectNode d = task.putObject("LogDriver");
            d.put("Name", log.path("driver").asText(""));
            if (log.get("options") instanceof ObjectNode opts && !opts.isEmpty()) {
                d.set("Options", stringMap(opts));
            }
        }
        ObjectNode resources = resources(where, obj(deploy, "resources"));
        if (!resources.isEmpty()) {
            task.set("Resources", resources);
        }
        ObjectNode restart = restartPolicy(where, deploy, s);
        if (restart != null) {
            task.set("RestartPolicy", restart);
        }
        ObjectNode placement = placement(obj(deploy, "placement"));
        if (!placement.isEmpty()) {
            task.set("Placement", placement);
        }
        task.set("Networks", serviceNetworks(where, shortName, s.get("networks"), networks, usedNetworks));

        spec.set("Mode", mode(where, deploy));
        if (deploy.get("update_config") instanceof ObjectNode u) {
            spec.set("UpdateConfig", updateConfig(where + " update_config", u));
        }
        if (deploy.get("rollback_config") instanceof ObjectNode r) {
            spec.set("RollbackConfig", updateConfig(where + " rollback_config", r));
        }
        ObjectNode endpoint = F.objectNode();
        if (deploy.hasNonNull("endpoint_mode")) {
            endpoint.put("Mode", deploy.get("endpoint_mode").asText().toLowerCase(Locale.ROOT));
        }
        ArrayNode ports = ports(s.path("ports"));
        if (!ports.isEmpty()) {
            endpoint.set("Ports", ports);
        }
        spec.set("EndpointSpec", endpoint);
        return new ServicePlan(scope(shortName), shortName, spec);
    }

    private ObjectNode healthcheck(String where, ObjectNode hc) {
        ObjectNode h = F.objectNode();
        if (hc.path("disable").asBoolean(false)) {
            if (hc.has("test") && hc.get("test").size() > 0) {
                throw new RecipeException(where + " healthcheck: test and disable can't be set at the same time");
            }
            h.putArray("Test").add("NONE");
            return h;
        }
        copyList(hc, "test", h, "Test");
        for (String[] f : new String[][] {{"interval", "Interval"}, {"timeout", "Timeout"}, {"start_period", "StartPeriod"}}) {
            if (hc.hasNonNull(f[0])) {
                h.put(f[1], nanos(where + " healthcheck " + f[0], hc.get(f[0])));
            }
        }
        if (hc.hasNonNull("retries")) {
            h.put("Retries", hc.get("retries").asInt());
        }
        warnUnknown(where + " healthcheck", hc, Set.of("test", "interval", "timeout", "start_period", "retries", "disable"));
        return h;
    }

    private ArrayNode environment(ObjectNode environment) {
        List<String> out = new ArrayList<>();
        environment.properties().forEach(e -> {
            if (e.getValue().isNull()) {
                String v = env.get(e.getKey());
                out.add(v == null ? e.getKey() : e.getKey() + "=" + v);
            } else {
                out.add(e.getKey() + "=" + e.getValue().asText());
            }
        });
        out.sort(Comparator.naturalOrder());
        ArrayNode a = F.arrayNode();
        out.forEach(a::add);
        return a;
    }

    private ArrayNode mounts(String where, JsonNode list, ObjectNode volumes) {
        ArrayNode out = F.arrayNode();
        for (JsonNode v : list) {
            String type = v.path("type").asText("volume");
            ObjectNode m = F.objectNode();
            m.put("Type", type);
            String source = v.hasNonNull("source") ? v.get("source").asText() : "";
            m.put("Target", v.path("target").asText());
            if (v.path("read_only").asBoolean(false)) {
                m.put("ReadOnly", true);
            }
            if (v.hasNonNull("consistency")) {
                m.put("Consistency", v.get("consistency").asText());
            }
            switch (type) {
                case "volume" -> {
                    if (source.isEmpty()) {
                        // anonymous: the CLI sets nothing; longshore's run labels (only) let teardown find it
                        ObjectNode run = m.putObject("VolumeOptions").putObject("Labels");
                        runLabels.forEach((k, val) -> {
                            if (!k.equals(RunLabels.STACK_NAMESPACE)) {
                                run.put(k, val);
                            }
                        });
                        break;
                    }
                    if (!volumes.has(source)) {
                        throw new RecipeException(where + ": undefined volume \"" + source + "\"");
                    }
                    ObjectNode def = obj(volumes, source);
                    m.put("Source", def.hasNonNull("name") ? def.get("name").asText() : scope(source));
                    ObjectNode opts = m.putObject("VolumeOptions");
                    if (v.path("volume").path("nocopy").asBoolean(false)) {
                        opts.put("NoCopy", true);
                    }
                    if (!def.path("external").asBoolean(false)) {
                        opts.set("Labels", labels(obj(def, "labels")));
                        if (def.hasNonNull("driver") || def.has("driver_opts")) {
                            ObjectNode drv = opts.putObject("DriverConfig");
                            if (def.hasNonNull("driver")) {
                                drv.put("Name", def.get("driver").asText());
                            }
                            if (def.get("driver_opts") instanceof ObjectNode o) {
                                drv.set("Options", stringMap(o));
                            }
                        }
                    }
                }
                case "bind" -> {
                    if (source.isEmpty()) {
                        throw new RecipeException(where + ": invalid bind source, source cannot be empty");
                    }
                    m.put("Source", source);
                    if (v.path("bind").hasNonNull("propagation")) {
                        m.putObject("BindOptions").put("Propagation", v.path("bind").get("propagation").asText());
                    }
                }
                case "tmpfs" -> {
                    if (!source.isEmpty()) {
                        throw new RecipeException(where + ": invalid tmpfs source, source must be empty");
                    }
                    if (v.path("tmpfs").hasNonNull("size")) {
                        JsonNode size = v.path("tmpfs").get("size");
                        m.putObject("TmpfsOptions").put("SizeBytes", bytes(where + " tmpfs", size));
                    }
                }
                default -> throw new RecipeException(where + ": volume type must be volume, bind or tmpfs, not " + type);
            }
            out.add(m);
        }
        return out;
    }

    private ArrayNode fileRefs(String where, String kind, JsonNode refs, ObjectNode defs, String nameField) {
        List<ObjectNode> out = new ArrayList<>();
        for (JsonNode r : refs) {
            String source = r.path("source").asText();
            if (!defs.has(source)) {
                throw new RecipeException(where + ": undefined " + kind + " \"" + source + "\"");
            }
            ObjectNode def = obj(defs, source);
            ObjectNode ref = F.objectNode();
            ObjectNode file = ref.putObject("File");
            file.put("Name", r.hasNonNull("target") ? r.get("target").asText() : source);
            file.put("UID", r.hasNonNull("uid") ? r.get("uid").asText() : "0");
            file.put("GID", r.hasNonNull("gid") ? r.get("gid").asText() : "0");
            file.put("Mode", r.hasNonNull("mode") ? mode(r.get("mode")) : 0444);
            ref.put(nameField, def.hasNonNull("name") ? def.get("name").asText() : scope(source));
            out.add(ref);
        }
        out.sort(Comparator.comparing(o -> o.path(nameField).asText()));
        ArrayNode a = F.arrayNode();
        out.forEach(a::add);
        return a;
    }

    /** File modes are octal when written as a string ({@code "0440"}); YAML already read {@code 0440} as octal. */
    private static int mode(JsonNode m) {
        return m.isNumber() ? m.asInt() : Integer.parseInt(m.asText(), 8);
    }

    private void capabilities(ObjectNode s, ObjectNode c) {
        List<String> add = normaliseCaps(s.path("cap_add"));
        List<String> drop = normaliseCaps(s.path("cap_drop"));
        if (add.contains("ALL")) {
            add = List.of("ALL");
        }
        if (drop.contains("ALL")) {
            drop = List.of("ALL");
        }
        List<String> added = add;
        // adding a capability wins over dropping it, as the docker CLI decides
        drop = drop.stream().filter(d -> !added.contains(d)).toList();
        if (!add.isEmpty()) {
            ArrayNode a = c.putArray("CapabilityAdd");
            add.forEach(a::add);
        }
        if (!drop.isEmpty()) {
            ArrayNode a = c.putArray("CapabilityDrop");
            drop.forEach(a::add);
        }
    }

    private static List<String> normaliseCaps(JsonNode caps) {
        Set<String> out = new TreeSet<>();
        for (JsonNode cap : caps) {
            String v = cap.asText().strip().toUpperCase(Locale.ROOT);
            if (!v.isEmpty()) {
                out.add(v.equals("ALL") || v.startsWith("CAP_") ? v : "CAP_" + v);
            }
        }
        return new ArrayList<>(out);
    }

    private ObjectNode resources(String where, ObjectNode r) {
        ObjectNode out = F.objectNode();
        warnUnknown(where + " resources", r, Set.of("limits", "reservations"));
        if (r.get("limits") instanceof ObjectNode l) {
            ObjectNode o = out.putObject("Limits");
            if (l.hasNonNull("cpus")) {
                o.put("NanoCPUs", value(where + " resources", () -> Units.nanoCpus(l.get("cpus").asText())));
            }
            if (l.hasNonNull("memory")) {
                o.put("MemoryBytes", bytes(where + " resources", l.get("memory")));
            }
            if (l.hasNonNull("pids")) {
                o.put("Pids", l.get("pids").asLong());
            }
            warnUnknown(where + " resources limits", l, Set.of("cpus", "memory", "pids"));
        }
        if (r.get("reservations") instanceof ObjectNode l) {
            ObjectNode o = out.putObject("Reservations");
            if (l.hasNonNull("cpus")) {
                o.put("NanoCPUs", value(where + " resources", () -> Units.nanoCpus(l.get("cpus").asText())));
            }
            if (l.hasNonNull("memory")) {
                o.put("MemoryBytes", bytes(where + " resources", l.get("memory")));
            }
            if (l.get("generic_resources") instanceof ArrayNode gr) {
                ArrayNode g = o.putArray("GenericResources");
                gr.forEach(x -> {
                    JsonNode d = x.path("discrete_resource_spec");
                    g.addObject().putObject("DiscreteResourceSpec").put("Kind", d.path("kind").asText())
                            .put("Value", d.path("value").asLong());
                });
            }
            warnUnknown(where + " resources reservations", l, Set.of("cpus", "memory", "generic_resources"));
        }
        return out;
    }

    private static long bytes(String where, JsonNode n) {
        return n.isNumber() ? n.asLong() : value(where, () -> Units.ramBytes(n.asText()));
    }

    /**
     * A value compose would refuse too (a size, a CPU count, a duration) is a mistake in the recipe
     * (exit 2), named with where it is; only what is left escapes as a converter bug.
     */
    private static long value(String where, java.util.function.LongSupplier parse) {
        try {
            return parse.getAsLong();
        } catch (IllegalArgumentException e) {
            throw new RecipeException(where + ": " + e.getMessage());
        }
    }

    private ObjectNode restartPolicy(String where, ObjectNode deploy, ObjectNode s) {
        if (deploy.get("restart_policy") instanceof ObjectNode rp) {
            ObjectNode out = F.objectNode();
            if (rp.hasNonNull("condition")) {
                out.put("Condition", rp.get("condition").asText());
            }
            if (rp.hasNonNull("delay")) {
                out.put("Delay", nanos(where + " restart_policy delay", rp.get("delay")));
            }
            if (rp.hasNonNull("max_attempts")) {
                out.put("MaxAttempts", rp.get("max_attempts").asLong());
            }
            if (rp.hasNonNull("window")) {
                out.put("Window", nanos(where + " restart_policy window", rp.get("window")));
            }
            warnUnknown(where + " restart_policy", rp, Set.of("condition", "delay", "max_attempts", "window"));
            return out;
        }
        if (!s.hasNonNull("restart")) {
            return null;
        }
        String restart = s.get("restart").asText();
        String name = restart.contains(":") ? restart.substring(0, restart.indexOf(':')) : restart;
        long max = restart.contains(":") ? Long.parseLong(restart.substring(restart.indexOf(':') + 1)) : 0;
        ObjectNode out = F.objectNode();
        switch (name) {
            case "no", "" -> {
                return null;
            }
            case "always", "unless-stopped" -> out.put("Condition", "any");
            case "on-failure" -> out.put("Condition", "on-failure");
            default -> throw new RecipeException(where + ": invalid restart policy \"" + restart + "\"");
        }
        if (max > 0) {
            out.put("MaxAttempts", max);
        }
        return out;
    }

    private ObjectNode placement(ObjectNode p) {
        ObjectNode out = F.objectNode();
        copyList(p, "constraints", out, "Constraints");
        if (p.get("preferences") instanceof ArrayNode prefs && !prefs.isEmpty()) {
            ArrayNode a = out.putArray("Preferences");
            prefs.forEach(x -> a.addObject().putObject("Spread").put("SpreadDescriptor", x.path("spread").asText()));
        }
        if (p.hasNonNull("max_replicas_per_node")) {
            out.put("MaxReplicas", p.get("max_replicas_per_node").asLong());
        }
        return out;
    }

    private ArrayNode serviceNetworks(String where, String shortName, JsonNode serviceNets, ObjectNode networks, Set<String> used) {
        Map<String, JsonNode> nets = serviceNets instanceof ObjectNode o && !o.isEmpty() ? toMap(o)
                : Map.of(DEFAULT_NETWORK, F.nullNode());
        List<ObjectNode> out = new ArrayList<>();
        nets.forEach((name, cfg) -> {
            if (!networks.has(name) && !name.equals(DEFAULT_NETWORK)) {
                throw new RecipeException(where + ": undefined network \"" + name + "\"");
            }
            used.add(name);
            ObjectNode def = obj(networks, name);
            String target = def.hasNonNull("name") ? def.get("name").asText() : scope(name);
            ObjectNode att = F.objectNode().put("Target", target);
            ArrayNode aliases = F.arrayNode();
            cfg.path("aliases").forEach(a -> aliases.add(a.asText()));
            if (!Set.of("host", "bridge", "none", "default").contains(target) && !target.startsWith("container:")) {
                aliases.add(shortName);
            }
            if (!aliases.isEmpty()) {
                att.set("Aliases", aliases);
            }
            if (cfg.get("driver_opts") instanceof ObjectNode opts) {
                att.set("DriverOpts", stringMap(opts));
            }
            if (cfg instanceof ObjectNode c) {
                warnUnknown(where + " network " + name, c, Set.of("aliases", "driver_opts"));
            }
            out.add(att);
        });
        out.sort(Comparator.comparing(o -> o.path("Target").asText()));
        ArrayNode a = F.arrayNode();
        out.forEach(a::add);
        return a;
    }

    private ObjectNode mode(String where, ObjectNode deploy) {
        String mode = deploy.path("mode").asText("replicated");
        JsonNode replicas = deploy.get("replicas");
        boolean hasReplicas = replicas != null && !replicas.isNull();
        ObjectNode m = F.objectNode();
        switch (mode) {
            case "global", "global-job" -> {
                if (hasReplicas) {
                    throw new RecipeException(where + ": replicas can only be used with replicated or replicated-job mode");
                }
                m.putObject(mode.equals("global") ? "Global" : "GlobalJob");
            }
            case "replicated-job" -> {
                ObjectNode j = m.putObject("ReplicatedJob");
                if (hasReplicas) {
                    j.put("MaxConcurrent", replicas.asLong()).put("TotalCompletions", replicas.asLong());
                }
            }
            case "replicated", "" -> {
                ObjectNode r = m.putObject("Replicated");
                if (hasReplicas) {
                    r.put("Replicas", replicas.asLong());
                }
            }
            default -> throw new RecipeException(where + ": unknown mode: " + mode);
        }
        return m;
    }

    private ObjectNode updateConfig(String where, ObjectNode u) {
        ObjectNode out = F.objectNode();
        out.put("Parallelism", u.hasNonNull("parallelism") ? u.get("parallelism").asLong() : 1);
        if (u.hasNonNull("delay")) {
            out.put("Delay", nanos(where + " delay", u.get("delay")));
        }
        if (u.hasNonNull("failure_action")) {
            out.put("FailureAction", u.get("failure_action").asText());
        }
        if (u.hasNonNull("monitor")) {
            out.put("Monitor", nanos(where + " monitor", u.get("monitor")));
        }
        if (u.hasNonNull("max_failure_ratio")) {
            out.put("MaxFailureRatio", u.get("max_failure_ratio").asDouble());
        }
        if (u.hasNonNull("order")) {
            out.put("Order", u.get("order").asText());
        }
        warnUnknown(where, u, Set.of("parallelism", "delay", "failure_action", "monitor", "max_failure_ratio", "order"));
        return out;
    }

    private ArrayNode ports(JsonNode ports) {
        List<ObjectNode> out = new ArrayList<>();
        for (JsonNode p : ports) {
            ObjectNode o = F.objectNode();
            o.put("Protocol", p.path("protocol").asText("tcp").isEmpty() ? "tcp" : p.path("protocol").asText("tcp"));
            o.put("TargetPort", p.path("target").asInt());
            if (p.hasNonNull("published")) {
                o.put("PublishedPort", p.get("published").asInt());
            }
            o.put("PublishMode", p.path("mode").asText("ingress").isEmpty() ? "ingress" : p.path("mode").asText("ingress"));
            out.add(o);
        }
        out.sort(Comparator.<ObjectNode>comparingInt(o -> o.path("PublishedPort").asInt())
                .thenComparingInt(o -> o.path("TargetPort").asInt())
                .thenComparing(o -> o.path("Protocol").asText()));
        ArrayNode a = F.arrayNode();
        out.forEach(a::add);
        return a;
    }

    /** The given labels plus the stack namespace and longshore's run labels. */
    private ObjectNode labels(ObjectNode given) {
        ObjectNode l = given == null ? F.objectNode() : stringMap(given);
        runLabels.forEach(l::put);
        l.put(RunLabels.STACK_NAMESPACE, stack);
        return l;
    }

    private void warnUnknown(String where, ObjectNode o, Set<String> known) {
        for (String key : iterable(o.fieldNames())) {
            if (!known.contains(key)) {
                warnings.add(where + ": " + key + " is not supported and is ignored");
            }
        }
    }

    private static long nanos(String where, JsonNode v) {
        return value(where, () -> Units.nanos(v.asText()));
    }

    private static ObjectNode obj(ObjectNode parent, String field) {
        return parent.get(field) instanceof ObjectNode o ? o : F.objectNode();
    }

    private static boolean hasItems(ObjectNode o, String field) {
        return o.get(field) instanceof ArrayNode a && !a.isEmpty();
    }

    private static void copyList(ObjectNode from, String field, ObjectNode to, String target) {
        if (from.get(field) instanceof ArrayNode a && !a.isEmpty()) {
            ArrayNode out = to.putArray(target);
            a.forEach(x -> out.add(x.asText()));
        }
    }

    private static void copyText(ObjectNode from, String field, ObjectNode to, String target) {
        if (from.hasNonNull(field) && !from.get(field).asText().isEmpty()) {
            to.put(target, from.get(field).asText());
        }
    }

    private static ObjectNode stringMap(ObjectNode o) {
        ObjectNode out = F.objectNode();
        o.properties().forEach(e -> out.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText()));
        return out;
    }

    private static Map<String, String> toStringMap(ObjectNode o) {
        Map<String, String> out = new LinkedHashMap<>();
        o.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private static Map<String, JsonNode> toMap(ObjectNode o) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        o.properties().forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    private static <T> Iterable<T> iterable(java.util.Iterator<T> it) {
        return () -> it;
    }
}
