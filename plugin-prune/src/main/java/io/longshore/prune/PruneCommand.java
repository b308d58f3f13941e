package io.longshore.prune;

import io.longshore.kit.engine.Engine;
import io.longshore.kit.lock.HostLock;
import io.longshore.kit.lock.LockSettings;
import io.longshore.kit.lock.LockTimeoutException;
import io.longshore.kit.output.Events;
import io.longshore.kit.settings.DataSize;
import io.longshore.kit.settings.SettingFormats;
import io.longshore.kit.stack.RunLabels;
import io.longshore.prune.act.PruneExecutor;
import io.longshore.prune.gate.DiskUsage;
import io.longshore.prune.gate.GateResult;
import io.longshore.prune.gate.Gates;
import io.longshore.prune.host.HostReader;
import io.longshore.prune.node.NodeParts;
import io.longshore.kit.node.HelperImage;
import io.longshore.prune.plan.Item;
import io.longshore.prune.plan.PrunePlan;
import io.longshore.prune.plan.PrunePlanner;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import io.longshore.kit.run.Job;
import io.longshore.kit.run.Launcher;
import io.longshore.kit.run.Outcome;
import io.longshore.kit.run.Plugin;
import io.longshore.kit.settings.Bounds;
import io.longshore.kit.settings.InvalidSettingException;
import io.longshore.kit.settings.ReportSetting;
import io.longshore.kit.settings.StringList;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "prune", mixinStandardHelpOptions = true,
        description = "A gated, surgical prune: only under disk pressure, never mid-run, never tagged images or volumes.")
public final class PruneCommand implements Plugin {

    @Option(names = "--threshold", defaultValue = "80", description = "Prune only when disk use of path is at least this percentage")
    @Bounds(min = "0", max = "100")
    int threshold;

    @Option(names = "--path", defaultValue = "/var/lib/docker", description = "The filesystem to measure (mount it read-only into the step)")
    Path path;

    @Option(names = "--until", defaultValue = "24h", description = "Only remove items older than this")
    @Bounds(min = "0s")
    Duration until;

    @Option(names = "--force", arity = "0..1", fallbackValue = "true", defaultValue = "false",
            description = "Skip the disk gate only; every other gate still holds")
    boolean force;

    @Option(names = "--ignore-stacks", description = "Stack name globs of long-lived stacks that do not count as live runs")
    StringList ignoreStacks;

    @Option(names = "--dry-run", arity = "0..1", fallbackValue = "true", defaultValue = "false",
            description = "Compute and print the plan with sizes and remove nothing")
    boolean dryRun;

    @Option(names = "--helper-image", description = "Image of the helper job that prunes each other swarm node, referenced by its ID "
            + "so it is never pulled (default: the image this plugin runs from, else longshore/prune)")
    String helperImage;

    /** One node's part of a swarm-wide prune (the helper job's): this engine's disk gate and plan only. */
    @Option(names = "--node-part", hidden = true, arity = "0..1", fallbackValue = "true", defaultValue = "false")
    boolean nodePart;

    @Mixin
    LockSettings lock;

    @Mixin
    ReportSetting report;

    /** What "older than until" is measured from; a test moves it instead of waiting out until. */
    java.time.Clock clock = java.time.Clock.systemUTC();

    public static void main(String[] args) {
        Launcher.main(new PruneCommand(), args);
    }

    @Override
    public void validate(Job job) throws InvalidSettingException {
        lock.validate();
    }

    /** The report's details: every gate with its numbers, the plan, and what happened to it. */
    public record Details(List<GateResult> gates, boolean dryRun, List<Item> plan, List<PrunePlan.Kept> kept,
                          List<Item> removed, List<PruneExecutor.Skipped> skipped, List<PruneExecutor.Failure> failures,
                          long bytesPlanned, long bytesReclaimed) {}

    @Override
    public Outcome run(Job job) throws Exception {
        if (nodePart) {
            return runHere(job, true);
        }
        Outcome here = runHere(job, false);
        if (here instanceof Outcome.Unreachable || here instanceof Outcome.Locked) {
            return here;
        }
        List<io.longshore.kit.engine.model.Node> others;
        try (Engine engine = Engine.connect(job).ping()) {
            others = NodeParts.otherNodes(engine);
        }
        if (others.isEmpty()) {
            return here;
        }
        // Each other node decides on its own disk; a closed cluster-wide gate (a live run, a service
        // converging) holds for every node: they then only show their plans.
        boolean clusterClosed = here.details() instanceof Details d
                && d.gates().stream().anyMatch(g -> !g.open() && !g.gate().equals("disk") && !g.gate().equals("lock"));
        List<NodeParts.Part> parts;
        try (Engine engine = Engine.connect(job).ping()) {
            parts = NodeParts.run(engine, job.events(), others, new HelperImage(engine, helperImage, "longshore/prune"),
                    NodeParts.args(threshold, untilText(), force, dryRun || clusterClosed));
        }
        Map<String, Object> details = new java.util.LinkedHashMap<>();
        details.put("thisNode", here.details());
        details.put("nodes", parts.stream().map(NodeParts.Part::describe).toList());
        String summary = "this node: " + here.summary() + "; " + String.join("; ",
                parts.stream().map(p -> "node " + p.node() + ": " + p.summary()).toList());
        List<NodeParts.Part> failed = parts.stream().filter(p -> !p.ok()).toList();
        if (here instanceof Outcome.Ok && failed.isEmpty()) {
            return new Outcome.Ok(summary, details);
        }
        return here instanceof Outcome.Ok ? new Outcome.Failed(summary, details) : here;
    }

    /** The prune on the connected engine; {@code part}: as one node's part, without the cluster-wide gates and lock. */
    private Outcome runHere(Job job, boolean part) throws Exception {
        Events events = job.events();
        events.planSteps(dryRun ? List.of("gates", "plan") : List.of("gates", "plan", "prune"));
        events.step("gates");
        DiskUsage usage;
        try {
            usage = DiskUsage.of(path);
        } catch (java.nio.file.NoSuchFileException e) {
            throw InvalidSettingException.of("--path", path + " does not exist; mount the Docker data root into the step "
                    + "read-only (e.g. /var/lib/docker:/var/lib/docker:ro) or point PLUGIN_PATH at it");
        }
        try (Engine engine = Engine.connect(job).ping()) {
            HostReader host = new HostReader(engine);
            List<GateResult> gates = new ArrayList<>(part ? List.of(Gates.disk(usage, threshold, force)) : gates(host, usage));
            gates.forEach(g -> events.progress((g.open() ? "open    " : "closed  ") + g.gate() + ": " + g.reason()));
            List<GateResult> closed = gates.stream().filter(g -> !g.open()).toList();

            events.step("plan");
            PrunePlan plan = PrunePlanner.plan(host.inventory(), clock.instant(), until);
            printPlan(events, plan);

            if (dryRun) {
                String gateNote = closed.isEmpty() ? "the gates are open" : "closed now: " + names(closed);
                return new Outcome.Ok("dry run: would remove " + describe(plan) + " (" + gateNote + "); nothing removed",
                        details(gates, plan, null));
            }
            if (!closed.isEmpty()) {
                return new Outcome.Ok("nothing pruned: the " + names(closed) + " gate" + (closed.size() > 1 ? "s are" : " is")
                        + " closed (" + closed.get(0).reason() + ")", details(gates, plan, null));
            }
            if (plan.isEmpty()) {
                return new Outcome.Ok("nothing to prune: no stopped container, dangling image or unused build cache older than "
                        + untilText(), details(gates, plan, null));
            }
            HostLock.Held held;
            try {
                // a node's part: the manager's prune holds the lock for the swarm
                held = HostLock.acquire(job, engine, part ? LockSettings.none() : lock);
            } catch (LockTimeoutException e) {
                gates.add(GateResult.closed("lock", e.getMessage(), Map.of("lock", e.lockName())));
                return new Outcome.Locked(e.getMessage() + "; nothing pruned", details(gates, plan, null));
            }
            try (held) {
                if (held.held()) {
                    gates.add(GateResult.open("lock", "'" + held.name() + "' taken and held while pruning", Map.of("lock", held.name())));
                }
                events.step("prune");
                // after an outage the host may have changed: the gates are read again before anything more goes
                PruneExecutor.Result result = new PruneExecutor(engine, events,
                        () -> part ? List.of(Gates.disk(DiskUsage.of(path), threshold, force)) : gates(host, DiskUsage.of(path)),
                        job.hooks()::shuttingDown).execute(plan);
                result.skipped().forEach(s -> events.warn(s.item().kind() + " " + s.item().shortId() + " kept: " + s.why()));
                result.failures().forEach(f -> events.warn(f.item().kind() + " " + f.item().shortId() + " could not be removed: " + f.why()));
                Details d = details(gates, plan, result);
                String removed = describe(result.removed()) + ", " + DataSize.human(result.bytes()) + " reclaimed";
                return result.failures().isEmpty()
                        ? new Outcome.Ok("pruned " + removed, d)
                        : new Outcome.Failed(result.failures().size() + " removal(s) failed; pruned " + removed, d);
            }
        }
    }

    /** The disk, live-runs and converging gates, on what the host says now. */
    private List<GateResult> gates(HostReader host, DiskUsage usage) {
        List<io.longshore.kit.engine.model.Service> services = host.services();
        return List.of(Gates.disk(usage, threshold, force),
                Gates.liveRuns(services, ignoreStacks == null ? List.of() : ignoreStacks.values()),
                Gates.converging(services, host.tasks()));
    }

    private void printPlan(Events events, PrunePlan plan) {
        for (Item.Kind kind : Item.Kind.values()) {
            List<Item> items = plan.all().stream().filter(i -> i.kind() == kind).toList();
            long bytes = items.stream().mapToLong(Item::sizeBytes).sum();
            events.progress(kind.plural() + ": " + items.size() + " (" + DataSize.human(bytes) + ")");
            if (dryRun) {
                items.forEach(i -> events.progress("  " + i.shortId() + "  " + i.name() + "  " + DataSize.human(i.sizeBytes())
                        + "  created " + i.createdAt()));
            }
        }
        long keptByLabel = plan.kept().stream().filter(k -> k.why().startsWith(RunLabels.KEEP)).count();
        events.progress("kept: " + plan.kept().size() + " newer, in use or labelled " + RunLabels.KEEP + "=true (" + keptByLabel + " by label)");
    }

    private Details details(List<GateResult> gates, PrunePlan plan, PruneExecutor.Result result) {
        return new Details(gates, dryRun, plan.all(), plan.kept(),
                result == null ? List.of() : result.removed(),
                result == null ? List.of() : result.skipped(),
                result == null ? List.of() : result.failures(),
                plan.bytes(), result == null ? 0 : result.bytes());
    }

    private String untilText() {
        return SettingFormats.formatDuration(until);
    }

    private static String names(List<GateResult> gates) {
        return String.join(", ", gates.stream().map(GateResult::gate).toList());
    }

    private static String describe(PrunePlan plan) {
        return describe(plan.all()) + " (" + DataSize.human(plan.bytes()) + ")";
    }

    private static String describe(List<Item> items) {
        List<String> parts = new ArrayList<>();
        for (Item.Kind kind : Item.Kind.values()) {
            long n = items.stream().filter(i -> i.kind() == kind).count();
            parts.add(n + " " + kind.plural());
        }
        return String.join(", ", parts);
    }
}
