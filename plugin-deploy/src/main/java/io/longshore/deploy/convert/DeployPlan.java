package io.longshore.deploy.convert;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.longshore.deploy.recipe.SecretCharset;
import java.util.List;
import java.util.Map;

/**
 * Everything one deploy will create, with the engine API spec of each object, before anything is
 * created: what {@code dry_run} prints and what the tests assert on. Secret and config contents
 * are described by where they come from, never included.
 */
public record DeployPlan(String stack, List<NetworkPlan> networks, List<FileObjectPlan> secrets,
                         List<FileObjectPlan> configs, List<VolumePlan> volumes, List<ServicePlan> services,
                         Externals externals, List<String> warnings) {

    public DeployPlan {
        networks = List.copyOf(networks);
        secrets = List.copyOf(secrets);
        configs = List.copyOf(configs);
        volumes = List.copyOf(volumes);
        services = List.copyOf(services);
        warnings = List.copyOf(warnings);
    }

    /** A network to create: the body of {@code POST /networks/create}. */
    public record NetworkPlan(String name, ObjectNode spec) {}

    /** Where a secret's or config's bytes come from; resolved only when it is created. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "from")
    public sealed interface DataSource {
        @JsonTypeName("file")
        record File(String path) implements DataSource {}

        /** Taken from this recipe variable. */
        @JsonTypeName("variable")
        record Variable(String name) implements DataSource {}

        /** Inline {@code content:} of a config. */
        @JsonTypeName("content")
        record Content(String text) implements DataSource {}

        /** {@code length} random characters of {@code charset} ({@code secrets: generate}). */
        @JsonTypeName("random")
        record Random(int length, SecretCharset charset) implements DataSource {}

        /** A secret backed by a secret driver: no data. */
        @JsonTypeName("driver")
        record Driver() implements DataSource {}
    }

    /** A secret or config to create; {@code spec} is its API spec without {@code Data}. */
    public record FileObjectPlan(String name, DataSource source, ObjectNode spec) {}

    /** A named volume; the engine creates it with these labels when a task first mounts it, as under {@code docker stack deploy}. */
    public record VolumePlan(String name, Map<String, String> labels, String driver, Map<String, String> driverOpts) {}

    /** A service to create: the body of {@code POST /services/create}; secret and config IDs are filled in on creation. */
    public record ServicePlan(String name, String shortName, ObjectNode spec) {
        /** "replicated", "global", "replicated-job" or "global-job". */
        public String mode() {
            ObjectNode mode = (ObjectNode) spec.path("Mode");
            if (mode.has("Global")) {
                return "global";
            }
            if (mode.has("ReplicatedJob")) {
                return "replicated-job";
            }
            if (mode.has("GlobalJob")) {
                return "global-job";
            }
            return "replicated";
        }
    }

    /** Objects the recipe marks external: they must exist and are never created (nor removed). */
    public record Externals(List<String> networks, List<String> secrets, List<String> configs, List<String> volumes) {
        public Externals {
            networks = List.copyOf(networks);
            secrets = List.copyOf(secrets);
            configs = List.copyOf(configs);
            volumes = List.copyOf(volumes);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The plan as indented JSON, for {@code dry_run} and the report. */
    public String render() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the plan", e);
        }
    }
}
