package io.longshore.kit.stack;

import io.longshore.kit.output.Events;
import io.longshore.kit.run.ShutdownHooks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reaps orphaned runs: finds every longshore run by its {@code io.longshore.run} labels, keeps the
 * ones {@link JanitorPolicy} keeps, and tears each of the others down with {@link Teardown}.
 * deploy runs it at the start of every run; the teardown plugin runs it with {@code janitor: true}.
 *
 * <pre>{@code
 * JanitorReport r = new Janitor(teardown, job.events(), job.hooks())
 *         .sweep(new JanitorPolicy(Instant.now(), null, protect), Duration.ofMinutes(2), false);
 * }</pre>
 */
public final class Janitor {
    private final Teardown teardown;
    private final Events events;
    private final ShutdownHooks hooks;

    /**
     * With {@code hooks}, each teardown is guarded ({@link TeardownGuard}): SIGTERM lets the one in
     * progress finish, and no further run is started once the process is ending.
     */
    public Janitor(Teardown teardown, Events events, ShutdownHooks hooks) {
        this.teardown = teardown;
        this.events = events;
        this.hooks = hooks;
    }

    /** A run the janitor reaped (or would reap, in a dry run) and how its teardown ended. */
    public record Reaped(RunSummary run, String reason, TeardownResult result) {}

    /** A run the janitor left alone, and why. */
    public record Kept(RunSummary run, String reason) {}

    public record JanitorReport(List<Reaped> reaped, List<Kept> kept, boolean dryRun) {
        /** True when every reaped run was verified clean. */
        public boolean clean() {
            return reaped.stream().allMatch(r -> r.result().clean());
        }

        public String summary() {
            long dirty = reaped.stream().filter(r -> !r.result().clean()).count();
            String verb = dryRun ? "would reap " : "reaped ";
            String s = verb + reaped.size() + " run(s), kept " + kept.size();
            return dirty == 0 ? s : s + "; " + dirty + " left residue: "
                    + String.join("; ", reaped.stream().filter(r -> !r.result().clean()).map(r -> r.result().summary()).toList());
        }

        public Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("dryRun", dryRun);
            m.put("reaped", reaped.stream().map(r -> {
                Map<String, Object> e = new LinkedHashMap<>(r.run().describe());
                e.put("reason", r.reason());
                e.put("teardown", r.result().describe());
                return e;
            }).toList());
            m.put("kept", kept.stream().map(k -> {
                Map<String, Object> e = new LinkedHashMap<>(k.run().describe());
                e.put("reason", k.reason());
                return e;
            }).toList());
            return m;
        }
    }

    /** How long listing the other nodes' runs may take. */
    private static final Duration LIST_TIMEOUT = Duration.ofMinutes(1);

    /** The verdict on every longshore run on every node of the swarm now; changes nothing. */
    public List<JanitorPolicy.Verdict> select(JanitorPolicy policy) throws InterruptedException {
        return teardown.runsOnEveryNode(LIST_TIMEOUT).stream().map(policy::decide).toList();
    }

    /** Tears down every run the policy reaps, each within {@code timeoutPerRun}; reports reaped and kept runs. */
    public JanitorReport sweep(JanitorPolicy policy, Duration timeoutPerRun, boolean dryRun) throws InterruptedException {
        events.step("janitor: find expired runs");
        List<JanitorPolicy.Verdict> verdicts = select(policy);
        List<Reaped> reaped = new ArrayList<>();
        List<Kept> kept = new ArrayList<>();
        for (JanitorPolicy.Verdict v : verdicts) {
            events.progress((v.reap() ? (dryRun ? "would reap " : "reap ") : "keep ") + v.run().stack() + ": " + v.reason());
            if (!v.reap()) {
                kept.add(new Kept(v.run(), v.reason()));
            }
        }
        if (verdicts.isEmpty()) {
            events.progress("no longshore runs on the engine");
        }
        for (JanitorPolicy.Verdict v : verdicts) {
            if (!v.reap()) {
                continue;
            }
            String stack = v.run().stack();
            if (dryRun) {
                reaped.add(new Reaped(v.run(), v.reason(), teardown.dryRun(stack)));
            } else if (hooks.shuttingDown()) {
                kept.add(new Kept(v.run(), "not started: the process is ending (" + v.reason() + ")"));
            } else {
                try (TeardownGuard guard = TeardownGuard.register(hooks, teardown, stack, timeoutPerRun)) {
                    reaped.add(new Reaped(v.run(), v.reason(), guard.run()));
                }
            }
        }
        return new JanitorReport(reaped, kept, dryRun);
    }
}
