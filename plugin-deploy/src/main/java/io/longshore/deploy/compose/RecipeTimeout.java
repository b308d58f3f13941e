package io.longshore.deploy.compose;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How long a recipe says its deploy may take to converge, as abra reads it: the
 * {@code coop-cloud.<stack>.timeout} deploy label (whole seconds) of the {@code app} service, else of
 * the first service (by name) that has one, else {@code TIMEOUT} (seconds) in the recipe's env.
 * The {@code timeout} setting wins over both.
 *
 * @param source which of them it came from, for the plan ("the coop-cloud.x.timeout label of service app")
 */
public record RecipeTimeout(Duration value, String source) {
    public static final String ENV = "TIMEOUT";
    private static final String APP = "app";

    /** The recipe's own timeout, if it has one; a value that is not whole seconds is a warning and ignored. */
    public static Optional<RecipeTimeout> of(ComposeProject project, String stack, Map<String, String> env, List<String> warnings) {
        String label = "coop-cloud." + stack + ".timeout";
        List<String> services = new ArrayList<>();
        project.model().path("services").fieldNames().forEachRemaining(services::add);
        services.sort(null);
        if (services.remove(APP)) {
            services.addFirst(APP);
        }
        for (String service : services) {
            JsonNode value = project.model().path("services").path(service).path("deploy").path("labels").get(label);
            if (value != null && !value.isNull()) {
                String what = "the " + label + " label of service " + service;
                Optional<RecipeTimeout> t = seconds(value.asText(), what, warnings);
                if (t.isPresent()) {
                    return t;
                }
            }
        }
        String fromEnv = env.get(ENV);
        return fromEnv == null || fromEnv.isBlank() ? Optional.empty() : seconds(fromEnv, ENV + " in the recipe's env", warnings);
    }

    private static Optional<RecipeTimeout> seconds(String text, String what, List<String> warnings) {
        try {
            long s = Long.parseLong(text.strip());
            if (s > 0) {
                return Optional.of(new RecipeTimeout(Duration.ofSeconds(s), what));
            }
        } catch (NumberFormatException e) {
            // said below
        }
        warnings.add(what + " is '" + text + "', not a positive number of seconds; ignored");
        return Optional.empty();
    }
}
