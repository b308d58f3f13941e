package io.longshore.deploy.plan;

import io.longshore.deploy.DeploySettings;
import io.longshore.deploy.apply.UpdatePlan;
import io.longshore.deploy.convert.DeployPlan;
import io.longshore.kit.settings.SettingFormats;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one deploy run will do, decided before it starts: the run and how long it lives, how
 * long it may take to converge, the health gate, every stage with what it deploys and runs, and
 * the teardown policy. {@code dry_run} prints exactly this; the executor carries it out.
 * {@code workspace} is the workspace's release, what install deploys and an upgrade or a backup
 * ends on (planned even when no stage can run).
 */
public record RunPlan(String stack, String domain, Path recipeDir, Lifetime lifetime, Map<String, String> labels,
                      Converge converge, DeploySettings.Health health, DeploySettings.Teardown teardown,
                      List<StagePlan> stages, List<String> warnings, ReleasePlan workspace) {

    public RunPlan {
        labels = Map.copyOf(labels);
        stages = List.copyOf(stages);
        warnings = List.copyOf(warnings);
    }

    /** How long the stack may take to converge, and which setting or recipe value said so. */
    public record Converge(Duration timeout, String source) {}

    /** Every release the stages deploy, the workspace's first, by label. */
    public Map<String, DeployPlan> releases() {
        Map<String, DeployPlan> out = new LinkedHashMap<>();
        out.put(ReleasePlan.WORKSPACE, workspace().deploy());
        for (StagePlan s : stages) {
            if (s instanceof StagePlan.Upgrade u) {
                out.put(u.from().label(), u.from().deploy());
            }
        }
        return out;
    }

    /**
     * The named steps carrying out this plan takes, in order, for the console's "step 3 of 7":
     * the lock (when one is named), the janitor, each stage with its deploys, converges and health
     * checks, the teardown (unless the policy is never) and the results. A failed step may skip later ones.
     */
    public List<String> steps(String lockName) {
        List<String> out = new ArrayList<>();
        if (lockName != null) {
            out.add("lock " + lockName);
        }
        out.add("janitor");
        for (StagePlan s : stages) {
            out.add("stage " + s.name());
            switch (s) {
                case StagePlan.Install i -> rollout(out, "deploy " + i.release().describe(), i.release());
                case StagePlan.Upgrade u -> {
                    rollout(out, "deploy " + u.from().describe(), u.from());
                    rollout(out, "update " + u.to().describe(), u.to());
                }
                case StagePlan.Custom c -> { }
                case StagePlan.Backup b -> {
                    if (b.deploy()) {
                        rollout(out, "deploy " + b.release().describe(), b.release());
                    }
                    out.add("backup");
                    out.add("destroy the data");
                    rollout(out, "update " + b.release().describe(), b.release());
                    out.add("restore");
                }
                case StagePlan.NotRunnable n -> { }
            }
        }
        if (teardown != DeploySettings.Teardown.never) {
            out.add("teardown " + stack);
        }
        boolean commands = stages.stream().anyMatch(s -> switch (s) {
            case StagePlan.Install i -> !i.tests().isEmpty();
            case StagePlan.Upgrade u -> !u.seed().isEmpty() || !u.verify().isEmpty() || !u.tests().isEmpty();
            case StagePlan.Custom c -> !c.tests().isEmpty();
            case StagePlan.Backup b -> true;
            case StagePlan.NotRunnable n -> false;
        });
        if (stages.size() > 1 || commands) {
            out.add("results");
        }
        return out;
    }

    private static void rollout(List<String> out, String first, ReleasePlan release) {
        out.add(first);
        out.add("converge");
        if (release.healthUrl() != null) {
            out.add("health");
        }
    }

    /** The plan in words, as {@code dry_run} prints it before the objects. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add("run " + stack + " (domain " + domain + ") from " + recipeDir);
        out.add("lifetime: the janitor may reap it after " + SettingFormats.formatDuration(lifetime.length()) + " ("
                + lifetime.deploys() + " deploy(s) x " + SettingFormats.formatDuration(lifetime.perDeploy())
                + " of timeout and health_timeout, + " + SettingFormats.formatDuration(lifetime.margin()) + "), at " + labels.get("io.longshore.expires"));
        out.add("converge: within " + SettingFormats.formatDuration(converge.timeout()) + " (" + converge.source() + ")");
        out.add(health.enabled()
                ? "health: " + health.url() + " must answer " + health.status() + " within " + SettingFormats.formatDuration(health.timeout())
                        + " once converged" + (health.resolve().isEmpty() ? "" : " (resolve " + health.resolve() + ")")
                : "health: no health_url, so converged is healthy");
        out.add("teardown: " + teardown + switch (teardown) {
            case always -> " (also on failure and on SIGTERM)";
            case on_success -> " (a failed run is left for inspection; the janitor reaps it)";
            case never -> " (left running; the janitor reaps it after it expires)";
        });
        int n = 0;
        for (StagePlan s : stages) {
            n++;
            String head = "stage " + n + " of " + stages.size() + ": " + s.name();
            switch (s) {
                case StagePlan.Install i -> {
                    out.add(head + ": deploy the workspace's release" + (i.clearFirst() ? " (after clearing the run)" : "") + ", converge, health, tests");
                    out.add("  deploy  " + summary(i.release().deploy()));
                    tests(out, i.tests());
                }
                case StagePlan.Upgrade u -> {
                    out.add(head + ": from " + u.from().label() + " to the workspace" + (u.clearFirst() ? " (after clearing the run)" : ""));
                    out.add("  deploy  " + u.from().label() + ": " + summary(u.from().deploy()) + ", converge, health");
                    tests(out, u.seed());
                    out.add("  update  to the workspace, converge, health:");
                    lines(out, u.update());
                    tests(out, u.verify());
                    tests(out, u.tests());
                }
                case StagePlan.Custom c -> {
                    out.add(head + ": the tests only, on what runs");
                    tests(out, c.tests());
                }
                case StagePlan.Backup b -> {
                    out.add(head + ": back up, destroy the data, deploy again, restore, verify");
                    if (b.deploy()) {
                        out.add("  deploy  the workspace's release, converge, health");
                    }
                    tests(out, b.seed());
                    for (var sb : b.services()) {
                        out.add("  backup  " + sb.shortName() + " (" + sb.service() + ")");
                        sb.volumes().forEach(v -> out.add("    volume " + v.describe()));
                        sb.hooks().lines().forEach(h -> out.add("    " + h));
                    }
                    b.notArchived().forEach(left -> out.add("  not archived: " + left));
                    out.add("  archive to " + b.dir() + " (one .tar.gz per volume path, and manifest.json)");
                    out.add("  destroy the run's services and volumes (secrets, configs and networks stay), deploy again, converge, health");
                    out.add("  restore each archive, with the restore hooks");
                    tests(out, b.verify());
                }
                case StagePlan.NotRunnable x -> out.add(head + (x.fails() ? ": FAILS: " : ": SKIPPED: ") + x.reason());
            }
        }
        return out;
    }

    private static void lines(List<String> out, UpdatePlan update) {
        update.lines().forEach(l -> out.add("    " + l));
    }

    private static void tests(List<String> out, List<TestPlan> tests) {
        tests.forEach(t -> out.add("  " + pad(t.kind()) + t.describe()));
    }

    private static String pad(String kind) {
        return (kind + "       ").substring(0, Math.max(8, kind.length() + 1));
    }

    /** {@code 2 service(s) (app_web, app_worker), 1 network(s), ...}. */
    public static String summary(DeployPlan p) {
        return p.services().size() + " service(s) (" + String.join(", ", p.services().stream().map(DeployPlan.ServicePlan::name).toList())
                + "), " + p.networks().size() + " network(s), " + p.secrets().size() + " secret(s), " + p.configs().size()
                + " config(s), " + p.volumes().size() + " volume(s)";
    }
}
