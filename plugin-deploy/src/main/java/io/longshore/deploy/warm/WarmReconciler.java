package io.longshore.deploy.warm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.longshore.deploy.DeploySettings;
import io.longshore.deploy.convert.DeployPlan;
import io.longshore.deploy.convert.StackConverter;
import io.longshore.deploy.plan.RecipeReleases;
import io.longshore.deploy.plan.ReleaseConverter;
import io.longshore.deploy.plan.ReleasePlan;
import io.longshore.deploy.recipe.Recipe;
import io.longshore.deploy.recipe.RecipeVersion;
import io.longshore.deploy.recipe.UpgradeSourceException;
import io.longshore.deploy.run.Rollout;
import io.longshore.deploy.run.StageActions.Step;
import io.longshore.kit.engine.Engine;
import io.longshore.kit.engine.EngineApiException;
import io.longshore.kit.engine.Filter;
import io.longshore.kit.engine.model.Service;
import io.longshore.kit.engine.model.Volume;
import io.longshore.kit.output.Events;
import io.longshore.kit.run.Job;
import io.longshore.kit.settings.DataSize;
import io.longshore.kit.stack.RunLabels;
import io.longshore.kit.wait.Deadline;
import io.longshore.kit.wait.Pace;
import io.longshore.kit.wait.TimeSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * One reconcile of a warm app: keep it on its latest safe release. Reads which release runs (the
 * recipe's {@code coop-cloud.<stack>.version} label, else longshore's record), the latest release
 * tag and longshore's record on the engine ({@link WarmStore}); then deploys, does nothing, holds
 * (major bump, release notes asking for a manual step, no room for a snapshot), or upgrades behind a
 * health gate with a volume snapshot to roll back to. Each phase is recorded before it starts, so a
 * reconcile killed part-way is completed by the next one, which never deploys on empty volumes.
 */
public final class WarmReconciler {
    private static final Pace POLL = Pace.backoff(Duration.ofMillis(100), Duration.ofMillis(500));

    private final Job job;
    private final Events events;
    private final Engine engine;
    private final DeploySettings settings;
    private final WarmSettings warm;
    private final RecipeReleases releases;
    private final List<RecipeVersion> versions;
    private final Rollout rollout;
    private final WarmStore store;
    private final TimeSource time;
    private final List<String> warnings = new ArrayList<>();
    private final Map<String, ReleasePlan> plans = new LinkedHashMap<>();
    /** The deploy image that copies volumes in the engine (this plugin's own, when it runs in a container). */
    private final io.longshore.kit.node.HelperImage helperImage;

    public WarmReconciler(Job job, Engine engine, DeploySettings settings, WarmSettings warm, RecipeReleases releases,
                          List<RecipeVersion> versions, Rollout rollout, TimeSource time) {
        this.job = job;
        this.events = job.events();
        this.engine = engine;
        this.settings = settings;
        this.warm = warm;
        this.releases = releases;
        this.versions = List.copyOf(versions);
        this.rollout = rollout;
        this.store = new WarmStore(engine, warm.stack());
        this.time = time;
        this.helperImage = new io.longshore.kit.node.HelperImage(engine, null, "longshore/deploy");
    }

    private String stack() {
        return warm.stack();
    }

    /**
     * One reconcile. A release that cannot be read or planned, or engine work that could not
     * finish, ends it as {@code failed} with the reason (and an alert); the record says where it
     * stood, for the next one.
     */
    public WarmResult reconcile() throws InterruptedException {
        try {
            return reconcileOnce();
        } catch (io.longshore.deploy.recipe.RecipeException | io.longshore.deploy.plan.TranslationException | IllegalStateException
                 | EngineApiException e) {
            WarmState state = store.read().orElse(WarmState.none(stack()));
            return failure("failed", e.getMessage(), state.deployed(), state, null);
        }
    }

    private WarmResult reconcileOnce() throws InterruptedException {
        // this reconcile holds the lock: a helper copy of this app that is still there is one a killed reconcile left
        List<String> leftovers = VolumeCopier.removeLeftovers(engine, helperLabels(), helperPrefix());
        if (!leftovers.isEmpty()) {
            events.progress("removed " + leftovers.size() + " volume copy helper(s) a stopped reconcile left: " + String.join(", ", leftovers));
        }
        WarmDecision decision = decide();
        return switch (decision) {
            case WarmDecision.Resume r -> resume(r.state(), engine.read().services(Filter.label(RunLabels.STACK_NAMESPACE, stack())),
                    versions.getLast());
            case WarmDecision.Fresh f -> fresh(state(), f.target());
            case WarmDecision.Steady st -> steady(state(), st.current());
            case WarmDecision.Hold h -> hold(state(), h);
            case WarmDecision.Upgrade u -> upgrade(state(), u);
        };
    }

    /**
     * {@code dry_run}: reads what runs and decides, prints what a reconcile would do (for an update,
     * its plan against the live services) and changes nothing.
     */
    public WarmResult preview() {
        WarmDecision decision;
        try {
            decision = decide();
        } catch (io.longshore.deploy.recipe.RecipeException | io.longshore.deploy.plan.TranslationException | IllegalStateException
                 | EngineApiException e) {
            WarmState state = state();
            return new WarmResult("failed", e.getMessage(), state.deployed(), latestTag(), state.lastGood(), null, snapshotLines(state.snapshot()));
        }
        events.step("dry run");
        events.progress("would " + decision.would());
        RecipeVersion target = switch (decision) {
            case WarmDecision.Fresh f -> f.target();
            case WarmDecision.Upgrade u -> u.latest();
            default -> null;
        };
        if (target != null) {
            ReleasePlan plan = plan(target);
            io.longshore.deploy.apply.UpdatePlanner.plan(io.longshore.deploy.apply.LiveStack.read(engine.read(), plan.deploy()), plan.deploy(),
                    plan.recipe().env()).lines().forEach(l -> events.progress("plan: " + l));
        }
        WarmState state = state();
        return new WarmResult("dry-run", "would " + decision.would() + "; nothing changed", state.deployed(), latestTag(), state.lastGood(),
                null, snapshotLines(state.snapshot()));
    }

    private WarmState state() {
        return store.read().orElse(WarmState.none(stack()));
    }

    /** Reads versions, the record and the live services, and decides; changes nothing. */
    private WarmDecision decide() {
        events.step("versions");
        RecipeVersion latest = versions.getLast();
        WarmState state = state();
        List<Service> live = engine.read().services(Filter.label(RunLabels.STACK_NAMESPACE, stack()));
        String labelled = versionLabel(live);
        String deployed = labelled != null ? labelled : state.deployed();
        events.progress("latest release " + latest.tag() + "; running " + (live.isEmpty() ? "nothing" : live.size() + " service(s) at "
                + (deployed == null ? "an unknown release" : deployed + (labelled != null ? " (its version label)" : " (longshore's record)")))
                + "; last good " + (state.lastGood() == null ? "none yet" : state.lastGood()));
        if (!state.phase().idle()) {
            events.progress("the last reconcile stopped while " + state.phase().action() + " " + state.phase().from()
                    + (state.phase().to() == null ? "" : " → " + state.phase().to()) + "; completing it");
            return new WarmDecision.Resume(state);
        }
        if (live.isEmpty()) {
            return new WarmDecision.Fresh(state.lastGood() != null && version(state.lastGood()).isPresent() ? version(state.lastGood()).get() : latest);
        }
        Optional<RecipeVersion> current = deployed == null ? Optional.empty() : version(deployed);
        if (current.isEmpty()) {
            events.warn(deployed == null ? "no version label on " + stack() + "'s services and no record of what runs; deploying " + latest.tag()
                    : "the running release " + deployed + " is not a release tag of the recipe; deploying " + latest.tag());
            return new WarmDecision.Fresh(latest);
        }
        if (current.get().compareTo(latest) >= 0) {
            return new WarmDecision.Steady(current.get());
        }
        return gate(current.get(), latest);
    }

    /** The safety gate and the room for a snapshot, before anything changes: hold, or upgrade. */
    private WarmDecision gate(RecipeVersion current, RecipeVersion latest) {
        events.step("gate");
        ReleasePlan to = plan(latest);
        Map<String, String> notes = new LinkedHashMap<>();
        for (RecipeVersion v : versions) {
            if (v.compareTo(current) > 0 && v.compareTo(latest) <= 0) {
                ReleaseNotes.of(to.recipe().dir(), v.tag()).ifPresent(n -> notes.put(v.tag(), n));
            }
        }
        Optional<SafetyGate.Hold> hold = SafetyGate.check(current, latest, notes, warm.holdMarkers());
        if (hold.isPresent()) {
            SafetyGate.Hold h = hold.get();
            return new WarmDecision.Hold(h.reason(), h.sentence(), current, latest, h.notes());
        }
        List<String> volumes = volumes(plan(current));
        boolean snapshot = warm.snapshot() != WarmSettings.SnapshotPolicy.never && !volumes.isEmpty();
        if (warm.snapshot() == WarmSettings.SnapshotPolicy.always && volumes.isEmpty()) {
            events.progress("snapshot: always, but " + stack() + " has no named volume to snapshot");
        }
        if (snapshot) {
            Optional<String> room = roomFor(volumes);
            if (room.isPresent()) {
                return new WarmDecision.Hold("held-space", room.get(), current, latest, null);
            }
        }
        return new WarmDecision.Upgrade(current, latest, List.copyOf(notes.keySet()), volumes, snapshot);
    }

    // ------------------------------------------------------------------------------------- paths

    private WarmResult fresh(WarmState state, RecipeVersion target) throws InterruptedException {
        ReleasePlan plan = plan(target);
        Step step = rollout.update(plan);
        if (step.ok()) {
            store.write(state.with(target.tag(), target.tag(), WarmState.Phase.IDLE, state.snapshot(), time.now()));
            return result("deployed", "deployed " + target.tag() + " and it passed its health gate", target.tag(), state.snapshot(), null);
        }
        store.write(state.with(target.tag(), state.lastGood(), WarmState.Phase.IDLE, state.snapshot(), time.now()));
        return failure("unhealthy", step.message(), target.tag(), state, null);
    }

    private WarmResult steady(WarmState state, RecipeVersion current) throws InterruptedException {
        ReleasePlan plan = plan(current);
        events.progress("already on the latest release " + current.tag() + "; checking it");
        Step check = rollout.check(plan);
        if (check.ok()) {
            if (!current.tag().equals(state.lastGood()) || !current.tag().equals(state.deployed())) {
                store.write(state.with(current.tag(), current.tag(), WarmState.Phase.IDLE, state.snapshot(), time.now()));
            }
            return result("noop", "on the latest release " + current.tag() + " and healthy", current.tag(), state.snapshot(), null);
        }
        events.progress(check.message() + "; redeploying it once");
        Step again = rollout.update(plan, true);
        if (again.ok()) {
            store.write(state.with(current.tag(), current.tag(), WarmState.Phase.IDLE, state.snapshot(), time.now()));
            return result("deployed", current.tag() + " was unhealthy; redeployed, it passed its health gate", current.tag(), state.snapshot(), null);
        }
        return failure("unhealthy", current.tag() + " is still unhealthy after a redeploy: " + again.message(), current.tag(), state, null);
    }

    private WarmResult hold(WarmState state, WarmDecision.Hold h) {
        String current = h.current().tag();
        events.progress("holding on " + current + ": " + h.sentence());
        Alert alert = alert(h.result(), h.sentence(), current, h.latest().tag(), state.lastGood(), null, h.notes());
        return new WarmResult(h.result(), "stays on " + current + ": " + h.sentence(), current, h.latest().tag(),
                state.lastGood(), alert, snapshotLines(state.snapshot()));
    }

    private WarmResult upgrade(WarmState state, WarmDecision.Upgrade u) throws InterruptedException {
        RecipeVersion current = u.current();
        RecipeVersion latest = u.latest();
        events.progress("upgrading " + current.tag() + " → " + latest.tag() + " behind the health gate" + (u.notesOf().isEmpty() ? ""
                : " (release notes of " + String.join(", ", u.notesOf()) + " ask for nothing by hand)"));
        ReleasePlan from = plan(current);
        ReleasePlan to = plan(latest);
        List<String> volumes = u.volumes();
        boolean snapshot = u.snapshot();
        WarmState.Snapshot snap = state.snapshot();
        if (snapshot) {
            String id = String.valueOf(time.now().getEpochSecond());
            state = store.write(state.with(current.tag(), current.tag(), WarmState.Phase.upgrading(current.tag(), latest.tag(), id), snap, time.now()));
            removeServices();
            snap = snapshot(id, current.tag(), volumes, from);
            state = store.write(state.with(current.tag(), current.tag(), WarmState.Phase.upgrading(current.tag(), latest.tag(), id), snap, time.now()));
            dropOtherSnapshots(snap);
        } else {
            state = store.write(state.with(current.tag(), current.tag(), WarmState.Phase.upgrading(current.tag(), latest.tag(), null), snap, time.now()));
        }
        return deployUpgrade(state, from, to, snapshot ? snap : null);
    }

    /** Deploys the upgrade's target and keeps it when it passes its health gate; otherwise rolls back. */
    private WarmResult deployUpgrade(WarmState state, ReleasePlan from, ReleasePlan to, WarmState.Snapshot snap) throws InterruptedException {
        Step step = rollout.update(to);
        if (step.ok()) {
            store.write(state.with(to.label(), to.label(), WarmState.Phase.IDLE, state.snapshot(), time.now()));
            return result("upgraded", "upgraded " + from.label() + " → " + to.label() + "; it passed its health gate"
                    + (snap == null ? "" : " (snapshot of " + snap.volumes().size() + " volume(s) kept as last good)"), to.label(), state.snapshot(), null);
        }
        events.progress(to.label() + " failed: " + step.message() + "; rolling back to " + from.label());
        return rollBack(state, from, to.label(), snap, step.message());
    }

    private WarmResult rollBack(WarmState state, ReleasePlan lastGood, String attempted, WarmState.Snapshot snap, String why)
            throws InterruptedException {
        events.step("rollback");
        state = store.write(state.with(attempted, lastGood.label(), WarmState.Phase.rollingBack(lastGood.label(), attempted,
                snap == null ? null : snap.id()), state.snapshot(), time.now()));
        if (snap != null) {
            // the copies are checked against their record while the services go: nothing is written before both are done
            java.util.concurrent.CompletableFuture<Optional<String>> checked = new java.util.concurrent.CompletableFuture<>();
            WarmState.Snapshot toCheck = snap;
            Thread.ofVirtual().start(() -> {
                try {
                    checked.complete(check(toCheck));
                } catch (RuntimeException e) {
                    checked.completeExceptionally(e);
                }
            });
            removeServices();
            Optional<String> broken;
            try {
                broken = checked.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
            }
            if (broken.isEmpty()) {
                broken = restore(snap);
            }
            if (broken.isPresent()) {
                return failure("rollback-failed", "manual action needed: " + broken.get() + " (after " + attempted + " failed: " + why + ")",
                        attempted, state, attempted);
            }
        }
        Step back = rollout.update(lastGood);
        if (!back.ok()) {
            return failure("rollback-failed", "manual action needed: " + lastGood.label() + " did not recover either: " + back.message()
                    + " (after " + attempted + " failed: " + why + ")", attempted, state, attempted);
        }
        store.write(state.with(lastGood.label(), lastGood.label(), WarmState.Phase.IDLE, state.snapshot(), time.now()));
        String sentence = attempted + " failed (" + why + "); rolled back to " + lastGood.label()
                + (snap == null ? "" : " with its volumes restored from the snapshot") + ", which is healthy";
        Alert alert = alert("rolled-back", sentence, lastGood.label(), attempted, lastGood.label(), true, null);
        return new WarmResult("rolled-back", sentence, lastGood.label(), latestTag(), lastGood.label(), alert, snapshotLines(state.snapshot()));
    }

    /** Completes what a killed reconcile recorded it was doing. */
    private WarmResult resume(WarmState state, List<Service> live, RecipeVersion latest) throws InterruptedException {
        WarmState.Phase phase = state.phase();
        Optional<RecipeVersion> from = version(phase.from());
        if (from.isEmpty()) {
            store.write(state.with(state.deployed(), state.lastGood(), WarmState.Phase.IDLE, state.snapshot(), time.now()));
            return failure("failed", "the recorded release " + phase.from() + " is no longer a tag of the recipe; the record was reset",
                    state.deployed(), state, null);
        }
        ReleasePlan fromPlan = plan(from.get());
        boolean snapshotDone = state.snapshot() != null && state.snapshot().id().equals(phase.snapshot());
        if (phase.rollingBack()) {
            return rollBack(state, fromPlan, phase.to(), snapshotDone ? state.snapshot() : null, "recorded by the reconcile that stopped");
        }
        Optional<RecipeVersion> to = version(phase.to());
        if (!live.isEmpty()) {
            // the upgrade's target was being deployed: its health gate decides, as it would have
            ReleasePlan toPlan = plan(to.orElse(latest));
            Step check = rollout.check(toPlan);
            if (check.ok()) {
                store.write(state.with(toPlan.label(), toPlan.label(), WarmState.Phase.IDLE, state.snapshot(), time.now()));
                return result("upgraded", "upgraded " + fromPlan.label() + " → " + toPlan.label() + " (completing the reconcile that stopped)",
                        toPlan.label(), state.snapshot(), null);
            }
            return rollBack(state, fromPlan, toPlan.label(), snapshotDone ? state.snapshot() : null, check.message());
        }
        // services gone and the target never ran: the volumes still hold the last-good release's data;
        // the stopped reconcile may not have seen the old containers go, so this one waits for them
        removeServices();
        WarmState.Snapshot snap = state.snapshot();
        List<String> volumes = volumes(fromPlan);
        boolean snapshot = phase.snapshot() != null && !volumes.isEmpty();
        if (snapshot && !snapshotDone) {
            snap = snapshot(phase.snapshot(), fromPlan.label(), volumes, fromPlan);
            state = store.write(state.with(fromPlan.label(), fromPlan.label(), phase, snap, time.now()));
            dropOtherSnapshots(snap);
        }
        if (to.isEmpty()) {
            events.progress("the upgrade's target " + phase.to() + " is no longer a tag; redeploying " + fromPlan.label());
            Step back = rollout.update(fromPlan);
            store.write(state.with(fromPlan.label(), fromPlan.label(), WarmState.Phase.IDLE, state.snapshot(), time.now()));
            return back.ok() ? result("deployed", "redeployed " + fromPlan.label(), fromPlan.label(), state.snapshot(), null)
                    : failure("unhealthy", back.message(), fromPlan.label(), state, null);
        }
        return deployUpgrade(state, fromPlan, plan(to.get()), snapshot ? snap : null);
    }

    // ------------------------------------------------------------------------------------- engine work

    /** Removes the app's services and waits until no container uses its volumes any more. */
    private void removeServices() throws InterruptedException {
        List<Service> services = engine.read().services(Filter.label(RunLabels.STACK_NAMESPACE, stack()));
        for (Service s : services) {
            try {
                engine.delete("/services/" + s.id());
            } catch (EngineApiException e) {
                if (e.status() != 404) {
                    throw e;
                }
            }
        }
        events.progress("removed the services of " + stack() + " (" + services.size() + "); waiting for their containers to go");
        Deadline deadline = Deadline.in(settings.timeoutOrDefault(), time).cancelledWhen(job.hooks()::shuttingDown);
        boolean gone = deadline.await(() -> engine.read().containers(Filter.label(RunLabels.STACK_NAMESPACE, stack())).isEmpty()
                && engine.read().tasks(Filter.name(stack() + "_")).stream().noneMatch(t -> t.state().mayHoldResources()), POLL);
        if (!gone) {
            throw new IllegalStateException("the containers of " + stack() + " were still there after " + io.longshore.kit.settings.SettingFormats.formatDuration(settings.timeoutOrDefault())
                    + "; nothing was snapshotted or restored");
        }
    }

    /** The app's named volumes that exist on this engine (the snapshot's subject). */
    private List<String> volumes(ReleasePlan release) {
        List<String> out = new ArrayList<>();
        for (DeployPlan.VolumePlan v : release.deploy().volumes()) {
            if (engine.read().volume(v.name()).isPresent()) {
                out.add(v.name());
            }
        }
        return out;
    }

    /** Empty when there is room for a copy of {@code volumes} on the data root, else why not. */
    private Optional<String> roomFor(List<String> volumes) {
        Path root = warm.dataRoot();
        if (root == null || !Files.isDirectory(root)) {
            events.warn("free space for the snapshot is not checked: mount the engine's data root read-only at " + root
                    + " (PLUGIN_DATA_ROOT)");
            return Optional.empty();
        }
        long needed = 0;
        for (JsonNode v : engine.get("/system/df").path("Volumes")) {
            if (volumes.contains(v.path("Name").asText())) {
                needed += Math.max(0, v.path("UsageData").path("Size").asLong(0));
            }
        }
        try {
            long free = Files.getFileStore(root).getUsableSpace();
            // a margin: the engine's own writes go on while the copy is made
            long want = needed + needed / 10 + 64L * 1024 * 1024;
            events.progress("snapshot needs about " + DataSize.human(needed) + "; " + DataSize.human(free) + " free under " + root);
            return free >= want ? Optional.empty() : Optional.of("the snapshot needs " + DataSize.human(want) + " under " + root
                    + " and only " + DataSize.human(free) + " is free");
        } catch (IOException e) {
            events.warn("free space under " + root + " cannot be read: " + e.getMessage());
            return Optional.empty();
        }
    }

    private WarmState.Snapshot snapshot(String id, String version, List<String> volumes, ReleasePlan release) {
        events.step("snapshot");
        VolumeCopier copier = copier(release);
        List<WarmState.SnapshotVolume> taken = new ArrayList<>();
        for (String v : volumes) {
            String copy = v + "_longshore-snap-" + id;
            removeVolume(copy); // a copy a killed snapshot left half-made
            createVolume(copy, Map.of(RunLabels.WARM, stack(), "io.longshore.warm.snapshot", id, "io.longshore.warm.volume", v), null);
            long start = System.nanoTime();
            TarDigest.Summary s = copier.copy(v, copy);
            events.progress("snapshot of " + v + ": " + DataSize.human(s.bytes()) + " in " + s.files() + " file(s), "
                    + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms, " + s.sha256());
            taken.add(new WarmState.SnapshotVolume(v, copy, s.bytes(), s.files(), s.sha256()));
        }
        return new WarmState.Snapshot(id, version, time.now(), taken);
    }

    /** Empty when every copy of the snapshot still holds what was recorded when it was taken, else which does not. */
    private Optional<String> check(WarmState.Snapshot snap) {
        VolumeCopier copier = copier(null);
        for (WarmState.SnapshotVolume v : snap.volumes()) {
            long start = System.nanoTime();
            TarDigest.Summary held = copier.read(v.copy());
            if (!held.sha256().equals(v.sha256()) || held.bytes() != v.bytes()) {
                return Optional.of("the snapshot copy " + v.copy() + " of " + v.volume() + " holds " + held.sha256() + " ("
                        + DataSize.human(held.bytes()) + "), not the " + v.sha256() + " (" + DataSize.human(v.bytes()) + ") recorded when it was taken");
            }
            events.progress("snapshot copy " + v.copy() + " holds what was recorded (" + DataSize.human(held.bytes()) + ", "
                    + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms to check)");
        }
        return Optional.empty();
    }

    /** Writes the (checked) snapshot back into the app's volumes; empty when done, else what went wrong (nothing more is tried). */
    private Optional<String> restore(WarmState.Snapshot snap) {
        events.step("restore");
        VolumeCopier copier = copier(null);
        for (WarmState.SnapshotVolume v : snap.volumes()) {
            Optional<Volume> existing = engine.read().volume(v.volume());
            if (existing.isPresent()) {
                // this app's services are gone by now: a container still on the volume is someone else's
                List<String> users = engine.read().containers(Filter.NONE.and("volume", v.volume())).stream()
                        .map(c -> c.name() + " (" + c.state() + ")").toList();
                if (!users.isEmpty()) {
                    return Optional.of("the volume " + v.volume() + " cannot be replaced by its snapshot: it is in use by "
                            + String.join(", ", users) + ", which is not this app's");
                }
            } else {
                createVolume(v.volume(), Map.of(), null);
            }
            long start = System.nanoTime();
            TarDigest.Summary s;
            try {
                // check() has just read every byte of the copy against its recorded digest: the copy need not hash them again
                s = copier.replace(v.copy(), v.volume(), false, () -> {
                    removeVolume(v.volume());
                    createVolume(v.volume(), existing.map(Volume::labels).orElse(Map.of()), existing.map(Volume::driver).orElse(null));
                });
            } catch (EngineApiException e) {
                return Optional.of("the volume " + v.volume() + " cannot be replaced by its snapshot: " + e.getMessage());
            }
            if (s.sha256() != null && !s.sha256().equals(v.sha256())) {
                return Optional.of("restoring " + v.volume() + " wrote " + s.sha256() + ", not the snapshot's " + v.sha256());
            }
            if (s.bytes() != v.bytes() || s.files() != v.files()) {
                return Optional.of("restoring " + v.volume() + " wrote " + DataSize.human(s.bytes()) + " in " + s.files()
                        + " file(s), not the snapshot's " + DataSize.human(v.bytes()) + " in " + v.files());
            }
            events.progress("restored " + v.volume() + ": " + DataSize.human(s.bytes()) + " in " + s.files() + " file(s), "
                    + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms");
        }
        return Optional.empty();
    }

    /** Removes the snapshot copies that are not {@code keep}'s: there is one last-good snapshot. */
    private void dropOtherSnapshots(WarmState.Snapshot keep) {
        TreeSet<String> mine = new TreeSet<>(keep.volumes().stream().map(WarmState.SnapshotVolume::copy).toList());
        for (Volume v : engine.read().volumes(Filter.label(RunLabels.WARM, stack()).andLabel("io.longshore.warm.snapshot"))) {
            if (!mine.contains(v.name())) {
                removeVolume(v.name());
            }
        }
    }

    private VolumeCopier copier(ReleasePlan release) {
        String preferred = release == null || release.deploy().services().isEmpty() ? null
                : release.deploy().services().getFirst().spec().path("TaskTemplate").path("ContainerSpec").path("Image").asText(null);
        return new VolumeCopier(engine, VolumeCopier.localImage(engine, preferred), helperImage.id(), helperLabels(), helperPrefix(),
                events::progress);
    }

    private Map<String, String> helperLabels() {
        return Map.of(RunLabels.WARM, stack());
    }

    private String helperPrefix() {
        return stack() + "_";
    }

    private void createVolume(String name, Map<String, String> labels, String driver) {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("Name", name);
        if (driver != null) {
            body.put("Driver", driver);
        }
        ObjectNode l = body.putObject("Labels");
        labels.forEach(l::put);
        engine.post("/volumes/create", body);
    }

    private void removeVolume(String name) {
        try {
            engine.delete("/volumes/" + name);
        } catch (EngineApiException e) {
            if (e.status() != 404) {
                throw e;
            }
        }
    }

    // ------------------------------------------------------------------------------------- helpers

    private ReleasePlan plan(RecipeVersion v) {
        ReleasePlan cached = plans.get(v.tag());
        if (cached != null) {
            return cached;
        }
        Recipe recipe;
        try {
            recipe = releases.at(v, stack(), settings.domain());
        } catch (UpgradeSourceException | IOException e) {
            throw new IllegalStateException("cannot check out " + v.tag() + " of the recipe: " + e.getMessage(), e);
        } catch (io.longshore.deploy.recipe.RecipeException e) {
            throw new io.longshore.deploy.recipe.RecipeException("the recipe at " + v.tag() + " cannot be read: " + e.getMessage(), e);
        }
        recipe.warnings().forEach(w -> warnings.add(v.tag() + ": " + w));
        ReleasePlan plan;
        try {
            plan = new ReleaseConverter(settings.generateSecrets(), settings.health().enabled() ? settings.health().url() : null,
                    StackConverter::convert, warnings).convert(v.tag(), recipe, RunLabels.warm(stack(), time.now(), job.ci().owner()));
        } catch (io.longshore.deploy.recipe.RecipeException e) {
            throw new io.longshore.deploy.recipe.RecipeException("the recipe at " + v.tag() + " cannot be read: " + e.getMessage(), e);
        }
        warnings.forEach(events::warn);
        warnings.clear();
        plans.put(v.tag(), plan);
        return plan;
    }

    private Optional<RecipeVersion> version(String tag) {
        return tag == null ? Optional.empty() : versions.stream().filter(v -> v.tag().equals(tag)).findFirst();
    }

    private String latestTag() {
        return versions.getLast().tag();
    }

    /** The release the services say they run: the recipe's {@code coop-cloud.<stack>.version} label (the lowest when they differ). */
    private String versionLabel(List<Service> services) {
        String key = "coop-cloud." + stack() + ".version";
        return services.stream().map(s -> s.label(key)).filter(v -> v != null && !v.isBlank())
                .min((a, b) -> {
                    RecipeVersion x = RecipeVersion.parse(a);
                    RecipeVersion y = RecipeVersion.parse(b);
                    return x == null || y == null ? a.compareTo(b) : x.compareTo(y);
                }).orElse(null);
    }

    private WarmResult result(String result, String sentence, String deployed, WarmState.Snapshot snap, Alert alert) {
        WarmState now = store.read().orElse(WarmState.none(stack()));
        return new WarmResult(result, sentence, deployed, latestTag(), now.lastGood(), alert, snapshotLines(snap));
    }

    private WarmResult failure(String result, String sentence, String deployed, WarmState state, String attempted) {
        Alert alert = alert(result, sentence, deployed, attempted != null ? attempted : latestTag(), state.lastGood(),
                result.equals("rollback-failed") ? Boolean.FALSE : null, null);
        return new WarmResult(result, sentence, deployed, latestTag(), state.lastGood(), alert, snapshotLines(state.snapshot()));
    }

    private Alert alert(String reason, String message, String current, String latest, String lastGood, Boolean recovered, String notes) {
        Alert a = new Alert(stack(), reason, message, current, latest, lastGood, recovered, notes, time.now());
        if (warm.alertDir() != null) {
            try {
                events.progress("alert written to " + a.write(warm.alertDir()));
            } catch (IOException e) {
                events.warn("cannot write the alert into " + warm.alertDir() + ": " + e.getMessage());
            }
        }
        return a;
    }

    private static List<String> snapshotLines(WarmState.Snapshot s) {
        if (s == null) {
            return List.of();
        }
        return s.volumes().stream().map(v -> v.volume() + " → " + v.copy() + " (" + DataSize.human(v.bytes()) + ", " + v.files()
                + " file(s), " + v.sha256() + ", of " + s.version() + ")").toList();
    }
}
