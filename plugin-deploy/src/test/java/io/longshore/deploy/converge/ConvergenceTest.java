package io.longshore.deploy.converge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConvergenceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-21T18:00:10Z");
    private static final Duration WINDOW = Duration.ofMillis(500);

    private static JsonNode json(String s) {
        try {
            return JSON.readTree(s.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static JsonNode service(String mode) {
        return json("{'ID':'s1','CreatedAt':'2026-11-21T18:00:00Z','Spec':{'Name':'st_web','Mode':" + mode
                + ",'TaskTemplate':{'ContainerSpec':{'Image':'img'}}},'ServiceStatus':{'DesiredTasks':1}}");
    }

    private static JsonNode task(String state, String desired, String at, String extra) {
        return json("{'ID':'t-" + state + "','ServiceID':'s1','DesiredState':'" + desired + "','Spec':{'ContainerSpec':{'Image':'img'}},"
                + "'Status':{'Timestamp':'" + at + "','State':'" + state + "'" + extra + "}}");
    }

    private static Convergence.Verdict evaluate(JsonNode service, JsonNode... tasks) {
        return Convergence.evaluate(List.of(service), List.of(tasks), NOW, WINDOW);
    }

    @Test
    void replicatedConvergesWhenEveryReplicaHasRunForTheMonitorWindow() {
        JsonNode svc = service("{'Replicated':{'Replicas':2}}");
        var v = evaluate(svc, task("running", "running", "2026-11-21T18:00:08Z", ""), task("running", "running", "2026-11-21T18:00:09Z", ""));
        var c = assertInstanceOf(Convergence.Verdict.Converged.class, v);
        assertEquals(Instant.parse("2026-11-21T18:00:09Z"), c.lastRunning());
        assertEquals("st_web 2/2 running", c.services().getFirst().toString());
    }

    @Test
    void aReplicaThatJustStartedIsNotCountedYet() {
        JsonNode svc = service("{'Replicated':{'Replicas':1}}");
        var v = evaluate(svc, task("running", "running", "2026-11-21T18:00:09.800Z", ""));
        assertInstanceOf(Convergence.Verdict.Waiting.class, v);
        assertEquals("st_web 0/1 starting", v.services().getFirst().toString());
    }

    @Test
    void aTaskOfAnOlderSpecDoesNotCount() {
        JsonNode svc = service("{'Replicated':{'Replicas':1}}");
        JsonNode old = json("{'ID':'t','ServiceID':'s1','DesiredState':'running','Spec':{'ContainerSpec':{'Image':'old'}},"
                + "'Status':{'Timestamp':'2026-11-21T18:00:00Z','State':'running'}}");
        assertInstanceOf(Convergence.Verdict.Waiting.class, evaluate(svc, old));
    }

    @Test
    void aTaskStillMountingTheVolumeOfTheSpecBeforeAnUpdateDoesNotCount() {
        JsonNode svc = json("{'ID':'s1','CreatedAt':'2026-11-21T18:00:00Z','Spec':{'Name':'st_web','Mode':{'Replicated':{'Replicas':1}},"
                + "'TaskTemplate':{'ContainerSpec':{'Image':'img','Mounts':[{'Type':'volume','Source':'st_new','Target':'/data'}],"
                + "'StopGracePeriod':2000000000}}}}");
        JsonNode old = json("{'ID':'t','ServiceID':'s1','DesiredState':'running','Spec':{'ContainerSpec':{'Image':'img',"
                + "'Mounts':[{'Type':'volume','Source':'st_old','Target':'/data'}]}},"
                + "'Status':{'Timestamp':'2026-11-21T18:00:00Z','State':'running'}}");
        JsonNode current = json("{'ID':'t2','ServiceID':'s1','DesiredState':'running','Spec':{'ContainerSpec':{'Image':'img',"
                + "'Mounts':[{'Type':'volume','Source':'st_new','Target':'/data'}]}},"
                + "'Status':{'Timestamp':'2026-11-21T18:00:00Z','State':'running'}}");
        assertInstanceOf(Convergence.Verdict.Waiting.class, evaluate(svc, old));
        assertInstanceOf(Convergence.Verdict.Converged.class, evaluate(svc, current));
    }

    @Test
    void aRejectedTaskFailsAtOnceWithTheReason() {
        JsonNode svc = service("{'Replicated':{'Replicas':1}}");
        var v = evaluate(svc, task("rejected", "shutdown", "2026-11-21T18:00:05Z",
                ",'Err':'No such image: 127.0.0.1:5000/longshore-missing/nothing:1'"));
        TaskFailure f = assertInstanceOf(Convergence.Verdict.Failing.class, v).failure();
        assertEquals(TaskFailure.Kind.IMAGE_NOT_FOUND, f.kind());
        assertEquals("st_web: image not found (engine: No such image: 127.0.0.1:5000/longshore-missing/nothing:1)", f.describe());
    }

    @Test
    void anUnschedulableTaskFailsWithoutWaiting() {
        JsonNode svc = service("{'Replicated':{'Replicas':1}}");
        var v = evaluate(svc, task("pending", "running", "2026-11-21T18:00:05Z",
                ",'Err':'no suitable node (scheduling constraints not satisfied on 1 node)'"));
        assertEquals(TaskFailure.Kind.NO_SUITABLE_NODE, assertInstanceOf(Convergence.Verdict.Failing.class, v).failure().kind());
    }

    @Test
    void aPortStillHeldByTheServicesOldTaskDuringAnUpdateIsNotAFailure() {
        JsonNode svc = service("{'Replicated':{'Replicas':1}}");
        JsonNode old = json("{'ID':'t-old','ServiceID':'s1','DesiredState':'shutdown','Spec':{'ContainerSpec':{'Image':'img'}},"
                + "'Status':{'Timestamp':'2026-11-21T18:00:01Z','State':'running'}}");
        JsonNode waiting = task("pending", "running", "2026-11-21T18:00:05Z",
                ",'Err':'no suitable node (host-mode port already in use on 1 node)'");
        assertInstanceOf(Convergence.Verdict.Waiting.class, evaluate(svc, old, waiting));
        // the old task stopped but the scheduler has not looked again yet: still a wait
        assertInstanceOf(Convergence.Verdict.Waiting.class, evaluate(svc, waiting));
        // a conflict that outlasts the grace with nothing of the service's own holding the port is real
        JsonNode stuck = json("{'ID':'t-stuck','ServiceID':'s1','DesiredState':'running','CreatedAt':'2026-11-21T17:59:00Z',"
                + "'Spec':{'ContainerSpec':{'Image':'img'}},'Status':{'Timestamp':'2026-11-21T18:00:05Z','State':'pending',"
                + "'Err':'no suitable node (host-mode port already in use on 1 node)'}}");
        assertInstanceOf(Convergence.Verdict.Failing.class, evaluate(svc, stuck));
    }

    @Test
    void aContainerThatExitedReportsItsCode() {
        JsonNode svc = service("{'Replicated':{'Replicas':1}}");
        var v = evaluate(svc, task("failed", "shutdown", "2026-11-21T18:00:05Z",
                ",'Err':'task: non-zero exit (1)','ContainerStatus':{'ExitCode':1}"));
        TaskFailure f = assertInstanceOf(Convergence.Verdict.Failing.class, v).failure();
        assertEquals(TaskFailure.Kind.CONTAINER_EXITED, f.kind());
        assertEquals(1, f.exitCode());
        assertEquals("st_web: container exited with code 1 (engine: task: non-zero exit (1))", f.describe());
    }

    @Test
    void aServiceThatIsNotAJobMustNotComplete() {
        JsonNode svc = service("{'Replicated':{'Replicas':1}}");
        var v = evaluate(svc, task("complete", "shutdown", "2026-11-21T18:00:05Z", ",'ContainerStatus':{'ExitCode':0}"));
        TaskFailure f = assertInstanceOf(Convergence.Verdict.Failing.class, v).failure();
        assertEquals(TaskFailure.Kind.CONTAINER_EXITED, f.kind());
        assertEquals(0, f.exitCode());
    }

    @Test
    void jobsConvergeWhenCompleted() {
        JsonNode svc = service("{'ReplicatedJob':{'MaxConcurrent':2,'TotalCompletions':2}}");
        assertInstanceOf(Convergence.Verdict.Waiting.class, evaluate(svc, task("complete", "complete", "2026-11-21T18:00:05Z", "")));
        var v = evaluate(svc, task("complete", "complete", "2026-11-21T18:00:05Z", ""), task("complete", "complete", "2026-11-21T18:00:06Z", ""));
        assertEquals("st_web 2/2 completed", assertInstanceOf(Convergence.Verdict.Converged.class, v).services().getFirst().toString());
    }

    @Test
    void aGlobalServiceWithNoEligibleNodeFailsAfterAGrace() {
        JsonNode svc = json("{'ID':'s1','CreatedAt':'2026-11-21T18:00:00Z','Spec':{'Name':'st_g','Mode':{'Global':{}}},"
                + "'ServiceStatus':{'DesiredTasks':0,'RunningTasks':0}}");
        assertEquals(TaskFailure.Kind.NO_SUITABLE_NODE,
                assertInstanceOf(Convergence.Verdict.Failing.class, evaluate(svc)).failure().kind());
        JsonNode fresh = json("{'ID':'s1','CreatedAt':'2026-11-21T18:00:09Z','Spec':{'Name':'st_g','Mode':{'Global':{}}},"
                + "'ServiceStatus':{'DesiredTasks':0}}");
        assertInstanceOf(Convergence.Verdict.Waiting.class, evaluate(fresh));
    }

    @Test
    void anUpdateInProgressIsNotConverged() {
        JsonNode svc = json("{'ID':'s1','Spec':{'Name':'st_web','Mode':{'Replicated':{'Replicas':1}},"
                + "'TaskTemplate':{'ContainerSpec':{'Image':'img'}}},'UpdateStatus':{'State':'rollback_started'}}");
        var v = evaluate(svc, task("running", "running", "2026-11-21T18:00:00Z", ""));
        assertEquals("st_web 1/1 update rollback_started", assertInstanceOf(Convergence.Verdict.Waiting.class, v).services().getFirst().toString());
    }

    @Test
    void classifiesRegistryAndRuntimeFailuresInPlainWords() {
        record Case(String err, TaskFailure.Kind kind) {}
        for (Case c : List.of(
                new Case("toomanyrequests: You have reached your pull rate limit", TaskFailure.Kind.PULL_RATE_LIMIT),
                new Case("unauthorized: authentication required", TaskFailure.Kind.REGISTRY_AUTH),
                new Case("manifest for x:1 not found: manifest unknown", TaskFailure.Kind.IMAGE_NOT_FOUND),
                new Case("pull access denied for x, repository does not exist or may require 'docker login'", TaskFailure.Kind.IMAGE_NOT_FOUND),
                new Case("invalid mount config for type \"bind\": bind source path does not exist: /nope", TaskFailure.Kind.MOUNT_ERROR),
                new Case("task: non-zero exit (137): dockerexec: unhealthy container", TaskFailure.Kind.HEALTHCHECK_FAILING),
                new Case("something else", TaskFailure.Kind.TASK_FAILED))) {
            var t = (com.fasterxml.jackson.databind.node.ObjectNode) task("rejected", "shutdown", "2026-11-21T18:00:05Z", "");
            ((com.fasterxml.jackson.databind.node.ObjectNode) t.get("Status")).put("Err", c.err());
            assertEquals(c.kind(), TaskFailure.classify("s", t).kind(), c.err());
        }
    }

    @Test
    void demultiplexesLogFrames() {
        byte[] frame = {1, 0, 0, 0, 0, 0, 0, 3, 'a', 'b', '\n', 2, 0, 0, 0, 0, 0, 0, 2, 'c', '\n'};
        assertEquals("ab\nc\n", ConvergeWatcher.demux(frame));
        assertEquals("plain", ConvergeWatcher.demux("plain".getBytes()));
    }

    @Test
    void thePullAnswerNamesTheRealRegistryProblem() {
        TaskFailure f = new TaskFailure("st_web", TaskFailure.Kind.IMAGE_NOT_FOUND, "No such image: r/x:1", null, "t", List.of());
        TaskFailure auth = f.withPullAnswer("Head \"http://r/v2/x/manifests/1\": no basic auth credentials");
        assertEquals(TaskFailure.Kind.REGISTRY_AUTH, auth.kind());
        assertEquals("st_web: registry refused the credentials (engine: No such image: r/x:1; pulling it: "
                + "Head \"http://r/v2/x/manifests/1\": no basic auth credentials)", auth.describe());
        assertEquals(TaskFailure.Kind.PULL_RATE_LIMIT, f.withPullAnswer("toomanyrequests: slow down").kind());
        assertEquals(TaskFailure.Kind.IMAGE_NOT_FOUND, f.withPullAnswer("manifest unknown").kind());
    }
}
