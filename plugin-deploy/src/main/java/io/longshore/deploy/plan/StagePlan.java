package io.longshore.deploy.plan;

import io.longshore.deploy.apply.UpdatePlan;
import io.longshore.deploy.backup.ServiceBackup;
import java.nio.file.Path;
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

    /**
     * A backup and restore round trip on the workspace's release: deploy it ({@code deploy}: no
     * earlier stage left it running), seed, per service the backup pre-hook, archive its volumes into
     * {@code dir}, post-hook; remove the run's services and volumes; deploy the release again; per
     * service the restore pre-hook, write the archives back, post-hook; then verify.
     */
    record Backup(boolean deploy, ReleasePlan release, List<ServiceBackup> services, List<String> notArchived, List<TestPlan> seed,
                  List<TestPlan> verify, Path dir) implements StagePlan {
        public Backup {
            services = List.copyOf(services);
            notArchived = List.copyOf(notArchived);
            seed = List.copyOf(seed);
            verify = List.copyOf(verify);
        }

        public String name() {
            return "backup";
        }

        /** A hook as the command it runs: {@code sh -c} in a running container of the service. */
        public static TestPlan hook(ServiceBackup service, String which, String command) {
            return new TestPlan(which, new TestCommand(service.shortName(), service.shortName(), List.of("sh", "-c", command),
                    TestCommand.DEFAULT_TIMEOUT, null), new TestPlan.Target.Exec(service.service()));
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
