package io.longshore.deploy.run;

import io.longshore.deploy.plan.ReleasePlan;
import io.longshore.deploy.plan.TestPlan;

/**
 * What the stages do on the engine, so {@link StageRunner} decides only the order and the results
 * (and is tested without an engine). Deploy steps include converge and the health gate.
 */
public interface StageActions {
    /** Deploys {@code release} as a fresh stack, converges and health-checks it. */
    Step deploy(ReleasePlan release) throws InterruptedException;

    /** Updates the running stack to {@code target} (planned from what runs), converges and health-checks it. */
    Step update(ReleasePlan target) throws InterruptedException;

    /** Removes everything earlier stages left of the run, so the next deploy starts from nothing. */
    Step reset() throws InterruptedException;

    CommandResult run(TestPlan command) throws InterruptedException;

    /** A deploy step's result: {@code message} says why it failed, or what it reached; {@code rollout} what the engine did. */
    record Step(boolean ok, String message, Rollout.Record rollout) {
        public static Step ok(String message) {
            return new Step(true, message, null);
        }

        public static Step failed(String message) {
            return new Step(false, message, null);
        }
    }
}
