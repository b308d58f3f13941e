package io.longshore.deploy.run;

import io.longshore.deploy.DeployDetails;
import io.longshore.deploy.RunHousekeeping;
import io.longshore.deploy.StageReport;
import io.longshore.deploy.plan.RunPlan;
import io.longshore.deploy.plan.StagePlan;
import io.longshore.kit.run.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * What a run did: every stage's result and deploy record, and the teardown (null when the policy
 * left the run). {@link #outcome()} is the one place they become the exit status and the report.
 */
public record RunResult(RunPlan plan, StageRunner.Stages stages, RunHousekeeping.Cleanup teardown, Instant started,
                        Instant tornDown) {

    public boolean failed() {
        return stages.results().stream().anyMatch(r -> r.status() == Status.FAIL) || (teardown != null && !teardown.clean());
    }

    public Outcome outcome() {
        List<StageResult> results = stages.results();
        boolean single = plan.stages().size() == 1 && plan.stages().getFirst() instanceof StagePlan.Install i && i.tests().isEmpty();
        String summary = single && stages.lastMessage() != null ? stages.lastMessage() : StageRunner.summary(plan.stack(), results);
        if (teardown != null && !teardown.clean()) {
            summary = summary + "; teardown left residue: " + teardown.summary();
        }
        DeployDetails details = details();
        return failed() ? new Outcome.Failed(summary, details) : new Outcome.Ok(summary, details);
    }

    /** The report: what the run created, and where the last deploy got to (the last value each phase reached). */
    public DeployDetails details() {
        List<Rollout.Record> rollouts = stages.rollouts();
        List<String> created = new ArrayList<>();
        rollouts.forEach(r -> created.addAll(r.created()));
        Rollout.Record last = stages.last();
        Instant lastRunning = latest(rollouts, Rollout.Record::lastRunning);
        Instant converged = latest(rollouts, Rollout.Record::converged);
        DeployDetails.Timings timings = new DeployDetails.Timings(DeployDetails.ms(started), DeployDetails.ms(lastRunning),
                DeployDetails.ms(converged), lastRunning == null || converged == null ? null : Duration.between(lastRunning, converged).toMillis(),
                DeployDetails.ms(latest(rollouts, Rollout.Record::failedAt)), DeployDetails.ms(latest(rollouts, Rollout.Record::healthy)),
                DeployDetails.ms(tornDown));
        return new DeployDetails(plan.stack(), plan.domain(), created, last == null ? List.of() : last.services(),
                latest(rollouts, Rollout.Record::failure), latest(rollouts, Rollout.Record::health),
                teardown == null ? null : teardown.details(), timings, stages.results().stream().map(StageReport::of).toList());
    }

    private static <T> T latest(List<Rollout.Record> rollouts, Function<Rollout.Record, T> field) {
        T found = null;
        for (Rollout.Record r : rollouts) {
            T v = field.apply(r);
            if (v != null) {
                found = v;
            }
        }
        return found;
    }
}
