package io.longshore.deploy;

import io.longshore.deploy.converge.ServiceProgress;
import io.longshore.deploy.converge.TaskFailure;
import io.longshore.deploy.health.HealthGate;
import java.time.Instant;
import java.util.List;

/**
 * The deploy's part of the JSON report: the run, what converged or failed and why, the health
 * check, the teardown, and the timings the benchmark reads.
 */
public record DeployDetails(String stack, String domain, List<String> created, List<ServiceProgress> services,
                            TaskFailure failure, HealthGate.Result health, Object teardown, Timings timings) {

    /** Epoch milliseconds; null when a phase was not reached. {@code convergeLagMs}: converged minus the last task's running time. */
    public record Timings(Long startedAt, Long lastRunningAt, Long convergedAt, Long convergeLagMs, Long failedAt,
                          Long healthyAt, Long tornDownAt) {}

    static Long ms(Instant t) {
        return t == null ? null : t.toEpochMilli();
    }
}
