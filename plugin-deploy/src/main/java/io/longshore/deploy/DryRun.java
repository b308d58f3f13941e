package io.longshore.deploy;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.longshore.deploy.apply.UpdatePlan;
import io.longshore.deploy.convert.DeployPlan;
import io.longshore.deploy.plan.Lifetime;
import io.longshore.deploy.plan.RunPlan;
import io.longshore.deploy.plan.StagePlan;
import io.longshore.deploy.plan.TestPlan;
import io.longshore.kit.output.Events;
import io.longshore.kit.run.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code dry_run}: the run plan in words, then every release's objects with their specs; nothing is created. */
final class DryRun {
    private DryRun() {}

    /**
     * The report's details of a dry run: the workspace release's objects at the top (as a deploy
     * of it would create them), then the rest of the plan.
     */
    record Details(@JsonUnwrapped DeployPlan workspace, Lifetime lifetime, RunPlan.Converge converge, String teardown,
                   List<Stage> stages, Map<String, DeployPlan> releases) {}

    /** A stage as the report records it: what it deploys (by release label), its update plan, its commands. */
    record Stage(String name, String deploys, String status, UpdatePlan update, List<String> commands) {}

    static Outcome print(RunPlan plan, Events events, String envFile) {
        events.step("plan");
        plan.lines().forEach(events::progress);
        List<io.longshore.deploy.recipe.OptionalOverlay> overlays = plan.workspace().recipe().overlays();
        if (!overlays.isEmpty()) {
            events.step("overlays");
            events.progress("available overlays (the commented COMPOSE_FILE lines of " + envFile + "; uncomment one, or set compose_files):");
            overlays.forEach(o -> events.progress("  " + o.describe(envFile)));
        }
        for (Map.Entry<String, DeployPlan> release : plan.releases().entrySet()) {
            events.step("objects of " + (release.getKey().equals("workspace") ? "the workspace's release" : "release " + release.getKey()));
            events.progress(release.getValue().render());
        }
        DeployPlan workspace = plan.workspace().deploy();
        Details details = new Details(workspace, plan.lifetime(), plan.converge(), plan.teardown().toString(),
                plan.stages().stream().map(DryRun::stage).toList(), plan.releases());
        return new Outcome.Ok("dry run: would deploy " + plan.stack() + " with " + workspace.services().size()
                + " service(s); nothing was created", details);
    }

    private static Stage stage(StagePlan s) {
        return switch (s) {
            case StagePlan.Install i -> new Stage(i.name(), "workspace", "planned", null, commands(i.tests()));
            case StagePlan.Upgrade u -> {
                List<TestPlan> all = new ArrayList<>(u.seed());
                all.addAll(u.verify());
                all.addAll(u.tests());
                yield new Stage(u.name(), u.from().label() + ", then the workspace", "planned", u.update(), commands(all));
            }
            case StagePlan.Backup b -> {
                List<String> all = new ArrayList<>();
                b.seed().forEach(t -> all.add(t.kind() + " " + t.describe()));
                for (var sb : b.services()) {
                    sb.volumes().forEach(v -> all.add("backup " + sb.shortName() + ": " + v.describe()));
                    sb.hooks().lines().forEach(h -> all.add(sb.shortName() + " " + h));
                }
                b.verify().forEach(t -> all.add(t.kind() + " " + t.describe()));
                yield new Stage(b.name(), "workspace, then again after the data is destroyed", "planned", null, all);
            }
            case StagePlan.Custom c -> new Stage(c.name(), null, "planned", null, commands(c.tests()));
            case StagePlan.NotRunnable n -> new Stage(n.name(), null, (n.fails() ? "fails: " : "skipped: ") + n.reason(), null, List.of());
        };
    }

    private static List<String> commands(List<TestPlan> tests) {
        return tests.stream().map(t -> t.kind() + " " + t.describe()).toList();
    }
}
