package io.longshore.deploy;

import io.longshore.deploy.converge.ServiceProgress;
import io.longshore.deploy.converge.TaskFailure;
import io.longshore.deploy.health.HealthGate;
import java.time.Instant;
import java.util.List;

/**
 * The deploy's part of the JSON report: the run, what converged or failed and why, the health
 * check, the teardown, the timings the benchmark reads, and each stage's result. Services, failure,
 * health and timings are those of the last deploy a stage made.
 */
public record DeployDetails(String stack, String domain, List<String> created, List<ServiceProgress> services,
                            TaskFailure failure, HealthGate.Result health, Object teardown, Timings timings,
                            List<StageReport> stages) {

    /** Epoch milliseconds; null when a phase was not reached. {@code convergeLagMs}: converged minus the last task's running time. */
    public record Timings(Long startedAt, Long lastRunningAt, Long convergedAt, Long convergeLagMs, Long failedAt,
                          Long healthyAt, Long tornDownAt) {}

    public static Long ms(Instant t) {
        return t == null ? null : t.toEpochMilli();
    }
}
