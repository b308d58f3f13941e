package io.longshore.deploy.plan;

import io.longshore.deploy.DeploySettings;
import io.longshore.deploy.apply.LiveStack;
import io.longshore.deploy.apply.UpdatePlan;
import io.longshore.deploy.apply.UpdatePlanner;
import io.longshore.deploy.compose.ComposeProject;
import io.longshore.deploy.compose.RecipeTimeout;
import io.longshore.deploy.compose.StackCheck;
import io.longshore.deploy.convert.DeployPlan;
import io.longshore.deploy.convert.StackConverter;
import io.longshore.deploy.plan.TestPlan.Target;
import io.longshore.deploy.recipe.Interpolator;
import io.longshore.deploy.recipe.Recipe;
import io.longshore.deploy.recipe.RecipeException;
import io.longshore.deploy.recipe.RecipeVersion;
import io.longshore.deploy.plan.TestCommand;
import io.longshore.deploy.recipe.UpgradeSourceException;
import io.longshore.deploy.apply.ApplyException;
import io.longshore.deploy.backup.BackupLabels;
import io.longshore.deploy.backup.BackupSelection;
import io.longshore.deploy.backup.ServiceBackup;
import io.longshore.kit.settings.SettingFormats;
import io.longshore.kit.stack.RunLabels;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns the settings and the recipe's releases into the {@link RunPlan}: the run's name and
 * lifetime, each stage with every release it deploys fully converted, the update between releases,
 * each command with its target, the health gate and the teardown policy. Reads the recipe's files
 * (through {@link Releases}) and nothing of the engine; the same inputs give the same plan.
 */
public final class RunPlanner {
    private final DeploySettings settings;
    private final Releases releases;
    private final Instant now;
    private final String owner;
    private final Converter converter;
    private final List<String> warnings = new ArrayList<>();
    private int jobs;

    /** The compose-to-Swarm conversion: {@link StackConverter#convert}, replaceable to test what a bug in it gives. */
    @FunctionalInterface
    public interface Converter {
        DeployPlan convert(com.fasterxml.jackson.databind.node.ObjectNode model, String stack, Map<String, String> labels,
                           Map<String, String> env, List<Recipe.GeneratedSecret> generated);
    }

    public RunPlanner(DeploySettings settings, Releases releases, Instant now, String owner) {
        this(settings, releases, now, owner, StackConverter::convert);
    }

    public RunPlanner(DeploySettings settings, Releases releases, Instant now, String owner, Converter converter) {
        this.settings = settings;
        this.releases = releases;
        this.now = now;
        this.owner = owner;
        this.converter = converter;
    }

    /**
     * @throws RecipeException the workspace's recipe is invalid (exit 2, naming the file and line)
     * @throws TranslationException the converter failed on it (a bug; exit 1)
     */
    public RunPlan plan() {
        Recipe workspaceRecipe = releases.workspace(settings.stack(), settings.domain());
        workspaceRecipe.warnings().forEach(warnings::add);
        String stack = workspaceRecipe.stack();
        ComposeProject workspaceProject = project(ReleasePlan.WORKSPACE, workspaceRecipe);
        RunPlan.Converge converge = converge(workspaceProject, workspaceRecipe);
        Lifetime lifetime = Lifetime.of(now, deploys(settings.stages()), converge.timeout(), settings.health().timeout());
        Map<String, String> labels = RunLabels.of(stack, lifetime.created(), lifetime.expires(), owner);
        ReleasePlan workspace = release(ReleasePlan.WORKSPACE, workspaceRecipe, workspaceProject, labels);

        List<StagePlan> stages = new ArrayList<>();
        ReleasePlan running = workspace;
        boolean deployed = false;
        for (String name : settings.stages()) {
            switch (name) {
                case "install" -> {
                    stages.add(new StagePlan.Install(deployed, workspace, tests("tests", settings.tests(), workspace, labels)));
                    deployed = true;
                    running = workspace;
                }
                case "upgrade" -> {
                    StagePlan upgrade = upgrade(deployed, workspace, labels);
                    stages.add(upgrade);
                    if (upgrade instanceof StagePlan.Upgrade) {
                        deployed = true;
                        running = workspace;
                    }
                }
                case "backup" -> {
                    StagePlan backup = backup(!deployed, workspace, labels);
                    stages.add(backup);
                    if (backup instanceof StagePlan.Backup) {
                        deployed = true;
                        running = workspace;
                    }
                }
                case "custom" -> stages.add(new StagePlan.Custom(running, tests("tests", settings.tests(), running, labels)));
                default -> throw new IllegalArgumentException("unknown stage " + name);
            }
        }
        return new RunPlan(stack, workspaceRecipe.domain(), workspaceRecipe.dir(), lifetime, labels,
                converge, settings.health(), settings.teardown(),
                stages, dedupe(warnings), workspace);
    }

    /** Every deploy a stage makes may take timeout and health_timeout: install deploys once, an upgrade twice. */
    static int deploys(List<String> stages) {
        return stages.stream().mapToInt(s -> switch (s) {
            case "install" -> 1;
            case "upgrade", "backup" -> 2;
            default -> 0;
        }).sum();
    }

    private StagePlan upgrade(boolean clearFirst, ReleasePlan workspace, Map<String, String> labels) {
        java.util.function.BiFunction<Boolean, String, StagePlan> notRunnable = (fails, why) -> new StagePlan.NotRunnable("upgrade", fails, why);
        Optional<RecipeVersion> source;
        try {
            source = releases.upgradeSource(settings.upgradeFrom());
        } catch (UpgradeSourceException e) {
            return notRunnable.apply(e.failsStage(), e.getMessage());
        } catch (IOException e) {
            return notRunnable.apply(true, "cannot read the recipe's tags: " + e.getMessage());
        }
        if (source.isEmpty()) {
            return notRunnable.apply(false,
                    "no earlier release of the recipe is tagged in its repository, so there is nothing to upgrade from");
        }
        RecipeVersion v = source.get();
        ReleasePlan from;
        try {
            Recipe old = releases.at(v, workspace.deploy().stack(), workspace.recipe().domain());
            old.warnings().forEach(w -> warnings.add(v.tag() + ": " + w));
            from = release(v.tag(), old, project(v.tag(), old), labels);
        } catch (UpgradeSourceException | IOException e) {
            return notRunnable.apply(true, "cannot check out " + v.tag() + ": " + e.getMessage());
        } catch (RecipeException e) {
            return notRunnable.apply(true, "the recipe at " + v.tag() + " cannot be read: " + e.getMessage());
        } catch (TranslationException e) {
            return notRunnable.apply(true, e.getMessage());
        }
        UpdatePlan update;
        try {
            update = UpdatePlanner.plan(LiveStack.projected(from.deploy(), from.recipe().env()), workspace.deploy(), workspace.recipe().env());
        } catch (ApplyException e) {
            return notRunnable.apply(true, "cannot plan the update from " + v.tag() + ": " + e.getMessage());
        }
        return new StagePlan.Upgrade(clearFirst, from, workspace, update, tests("seed", settings.seed(), from, labels),
                tests("verify", settings.verify(), workspace, labels), tests("tests", settings.tests(), workspace, labels));
    }

    /**
     * The backup stage as the workspace's backupbot labels declare it; skipped when no service
     * takes part, or none that does mounts a named volume.
     */
    private StagePlan backup(boolean deploy, ReleasePlan workspace, Map<String, String> labels) {
        BackupSelection selection = BackupLabels.read(workspace.deploy());
        warnings.addAll(selection.warnings());
        if (selection.services().isEmpty()) {
            return new StagePlan.NotRunnable("backup", false,
                    "no service of the recipe takes part in backups (none has the label " + BackupLabels.ENABLED + "=true)");
        }
        if (selection.services().stream().allMatch(s -> s.volumes().isEmpty())) {
            return new StagePlan.NotRunnable("backup", false, "the services that take part in backups ("
                    + String.join(", ", selection.services().stream().map(ServiceBackup::shortName).toList())
                    + ") back up no named volume");
        }
        String stack = workspace.deploy().stack();
        Path dir = Path.of(settings.backupDir().toString().replace("<stack>", stack));
        return new StagePlan.Backup(deploy, workspace, selection.services(), selection.notArchived(), tests("seed", settings.seed(), workspace, labels),
                tests("verify", settings.verify(), workspace, labels), dir);
    }

    /** The timeout setting, else the recipe's own, else the default; and which one applied. */
    private RunPlan.Converge converge(ComposeProject project, Recipe recipe) {
        Optional<RecipeTimeout> own = RecipeTimeout.of(project, recipe.stack(), recipe.env(), warnings);
        if (settings.timeout() != null) {
            return new RunPlan.Converge(settings.timeout(), "the timeout setting"
                    + own.map(t -> ", over " + SettingFormats.formatDuration(t.value()) + " from " + t.source()).orElse(""));
        }
        return own.map(t -> new RunPlan.Converge(t.value(), t.source()))
                .orElse(new RunPlan.Converge(DeploySettings.DEFAULT_TIMEOUT, "the default"));
    }

    private ReleaseConverter releases() {
        return new ReleaseConverter(settings.generateSecrets(), settings.health().enabled() ? settings.health().url() : null, converter, warnings);
    }

    /** A release's merged compose model, checked for what docker stack deploy or the engine would refuse. */
    private ComposeProject project(String label, Recipe recipe) {
        return releases().project(label, recipe);
    }

    /** One release converted for the run. */
    private ReleasePlan release(String label, Recipe recipe, ComposeProject project, Map<String, String> labels) {
        return releases().convert(label, recipe, project, labels);
    }

    /** Each command interpolated with the env of the release it runs against, and its target. */
    private List<TestPlan> tests(String kind, List<TestCommand> commands, ReleasePlan on, Map<String, String> labels) {
        List<TestPlan> out = new ArrayList<>();
        Interpolator in = Interpolator.forShell(on.recipe().env()::get);
        Map<String, String> names = new HashMap<>();
        on.deploy().services().forEach(s -> names.put(s.shortName(), s.name()));
        List<String> networks = on.deploy().networks().stream().map(DeployPlan.NetworkPlan::name).toList();
        for (TestCommand c : commands) {
            TestCommand resolved = new TestCommand(c.name(), c.service(), c.argv().stream().map(in::apply).toList(), c.timeout(),
                    c.image() == null ? null : in.apply(c.image()));
            Target target;
            if (resolved.image() != null) {
                String name = on.deploy().stack() + "_" + kind + "-" + (++jobs);
                target = new Target.Job(name, StackConverter.oneOffJob(name, on.deploy().stack(), resolved.image(), resolved.argv(),
                        networks, labels));
            } else {
                target = new Target.Exec(names.getOrDefault(c.service(), on.deploy().stack() + "_" + c.service()));
            }
            out.add(new TestPlan(kind, resolved, target));
        }
        return out;
    }

    private static List<String> dedupe(List<String> list) {
        return list.stream().distinct().toList();
    }
}
