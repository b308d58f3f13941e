package io.longshore.kit.ci;

import java.nio.file.Path;
import java.util.Map;

/**
 * What the CI tells a step about itself, from Drone's {@code DRONE_*} or Woodpecker's
 * {@code CI_*} variables (Woodpecker also sets some {@code DRONE_*} for compatibility; its own
 * win). Used for run owners, links and names in reports; every field may be null outside a CI.
 */
public record CiContext(String system, String repo, String build, String link, String commit, String branch,
                        String step, String workspace) {

    public static CiContext from(Map<String, String> env) {
        String system = first(env, "CI_SYSTEM_NAME");
        if (system == null) {
            system = env.containsKey("DRONE") || env.containsKey("DRONE_BUILD_NUMBER") ? "drone"
                    : env.containsKey("CI_PIPELINE_NUMBER") ? "woodpecker" : null;
        }
        String workspace = first(env, "CI_WORKSPACE", "DRONE_WORKSPACE");
        return new CiContext(
                system,
                first(env, "CI_REPO", "DRONE_REPO"),
                first(env, "CI_PIPELINE_NUMBER", "DRONE_BUILD_NUMBER"),
                first(env, "CI_PIPELINE_URL", "DRONE_BUILD_LINK"),
                first(env, "CI_COMMIT_SHA", "DRONE_COMMIT_SHA", "DRONE_COMMIT"),
                first(env, "CI_COMMIT_BRANCH", "DRONE_BRANCH"),
                first(env, "CI_STEP_NAME", "DRONE_STEP_NAME"),
                Path.of(workspace == null ? "" : workspace).toAbsolutePath().toString());
    }

    /** Who owns a run: the CI link when known, else repo#build, else null. */
    public String owner() {
        if (link != null) {
            return link;
        }
        if (repo != null) {
            return build == null ? repo : repo + "#" + build;
        }
        return null;
    }

    private static String first(Map<String, String> env, String... names) {
        for (String n : names) {
            String v = env.get(n);
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}
