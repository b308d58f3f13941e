package io.longshore.deploy.run;

import io.longshore.deploy.backup.BackupArchive;
import io.longshore.deploy.backup.ServiceBackup;
import io.longshore.deploy.plan.ReleasePlan;
import java.nio.file.Path;
import java.util.List;
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

    /** Archives {@code service}'s selected volume paths from a running container of it into {@code dir}. */
    Archived archive(ServiceBackup service, Path dir) throws InterruptedException;

    /** Writes {@code dir}/manifest.json listing {@code archives}. */
    Step manifest(Path dir, List<BackupArchive> archives);

    /** Removes the run's services and volumes (secrets, configs and networks stay) and waits until they are gone. */
    Step destroyData() throws InterruptedException;

    /** Writes {@code archives} back into a running container of {@code service}. */
    Step restore(ServiceBackup service, List<BackupArchive> archives) throws InterruptedException;

    /** What an archive step wrote, or why it could not. */
    record Archived(boolean ok, String message, List<BackupArchive> archives) {
        public Archived {
            archives = List.copyOf(archives);
        }
    }

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
