package io.longshore.deploy.stage;

import java.io.IOException;
import java.util.Optional;

/**
 * What the stages do on the engine, so {@link StageRunner} decides only the order and the results
 * (and is tested without an engine). Deploy steps include converge and the health gate.
 */
public interface StageActions {
    /** Deploys the workspace's recipe: a fresh stack, or with {@code update} over the one that runs. */
    Step deployWorkspace(boolean update) throws InterruptedException;

    /** The release the upgrade starts from; empty when there is none (the stage is skipped). */
    Optional<RecipeVersion> upgradeSource() throws UpgradeSourceException, IOException;

    /** Deploys the recipe as it was at {@code release} as a fresh stack. */
    Step deployRelease(RecipeVersion release) throws InterruptedException;

    /** Removes everything earlier stages left of the run, so the next deploy starts from nothing. */
    Step reset() throws InterruptedException;

    CommandResult run(TestCommand command, String kind) throws InterruptedException;

    /** A deploy step's result: {@code message} says why it failed, or what it reached. */
    record Step(boolean ok, String message) {
        public static Step ok(String message) {
            return new Step(true, message);
        }

        public static Step failed(String message) {
            return new Step(false, message);
        }
    }
}
