package io.longshore.deploy.plan;

import java.time.Duration;
import java.time.Instant;

/**
 * How long the run may live before the janitor reaps it: every deploy its stages make may take
 * {@code timeout} and {@code health_timeout}, plus a margin for teardown and a slow engine.
 */
public record Lifetime(Instant created, Instant expires, int deploys, Duration perDeploy, Duration margin) {
    /** Added to the run's expiry beyond its deploys: time for teardown and a slow engine. */
    public static final Duration MARGIN = Duration.ofMinutes(10);

    public static Lifetime of(Instant created, int deploys, Duration timeout, Duration healthTimeout) {
        Duration per = timeout.plus(healthTimeout);
        int n = Math.max(1, deploys);
        return new Lifetime(created, created.plus(per.multipliedBy(n)).plus(MARGIN), n, per, MARGIN);
    }

    public Duration length() {
        return Duration.between(created, expires);
    }
}
