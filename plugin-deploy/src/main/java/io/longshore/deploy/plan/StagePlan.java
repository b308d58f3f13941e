package io.longshore.deploy.plan;

import io.longshore.deploy.apply.UpdatePlan;
import java.util.List;

/**
 * What one stage will do, decided before the run starts. {@code clearFirst}: an earlier stage
 * deploys, so this one removes the run's objects (volumes included) before it deploys, and starts
 * from nothing.
 */
public sealed interface StagePlan {
    String name();

    /** Deploy the workspace's release, converge, health check, then the tests. */
    record Install(boolean clearFirst, ReleasePlan release, List<TestPlan> tests) implements StagePlan {
        public String name() {
            return "install";
        }
    }

    /**
     * Deploy {@code from} (a release tag), seed, update the stack in place to {@code to} (the
     * workspace) along {@code update} — projected here from {@code from}'s plan; the executor plans
     * the update again from the live stack, with the same rules, before it writes — then verify and the tests.
     */
    record Upgrade(boolean clearFirst, ReleasePlan from, ReleasePlan to, UpdatePlan update, List<TestPlan> seed,
                   List<TestPlan> verify, List<TestPlan> tests) implements StagePlan {
        public String name() {
            return "upgrade";
        }
    }

    /** The tests only, on what runs (the release the previous stage left). */
    record Custom(ReleasePlan on, List<TestPlan> tests) implements StagePlan {
        public String name() {
            return "custom";
        }
    }

    /**
     * A stage that cannot run: {@code fails} for a mistake the user must fix (a tag that does not
     * exist), else it is skipped (no earlier release to upgrade from).
     */
    record NotRunnable(String name, boolean fails, String reason) implements StagePlan {}
}
