package io.longshore.deploy.converge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.longshore.kit.engine.model.Container;
import io.longshore.kit.engine.model.Service;
import io.longshore.kit.engine.model.Task;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    /** A running task of s1 with its own ID, running since {@code at}. */
    private static JsonNode running(String id, String at) {
        return json("{'ID':'" + id + "','ServiceID':'s1','DesiredState':'running','Spec':{'ContainerSpec':{'Image':'img'}},"
                + "'Status':{'Timestamp':'" + at + "','State':'running'}}");
    }

    // The rules read the kit's engine model; the cases are written as the engine's JSON.
    private static List<Service> services(List<JsonNode> json) {
        return json.stream().map(Service::from).toList();
    }

    private static List<Task> tasks(List<JsonNode> json) {
        return json.stream().map(Task::from).toList();
    }

    private static Convergence.Verdict evaluate(List<JsonNode> services, List<JsonNode> tasks, Instant now, Duration window) {
        return evaluate(services, tasks, List.of(), now, window);
    }

    private static Convergence.Verdict evaluate(List<JsonNode> services, List<JsonNode> tasks, List<JsonNode> containers, Instant now,
                                                Duration window) {
        return evaluate(services, tasks, containers, now, window, Set.of());
    }

    private static Convergence.Verdict evaluate(List<JsonNode> services, List<JsonNode> tasks, List<JsonNode> containers, Instant now,
                                                Duration window, Set<String> updated) {
        return evaluate(services, tasks, containers, now, window, updated, Map.of());
    }

    private static Convergence.Verdict evaluate(List<JsonNode> services, List<JsonNode> tasks, List<JsonNode> containers, Instant now,
                                                Duration window, Set<String> updated, Map<String, Instant> startingSince) {
        return evaluate(services, tasks, containers, now, window, updated, startingSince, Set.of());
    }

    private static Convergence.Verdict evaluate(List<JsonNode> services, List<JsonNode> tasks, List<JsonNode> containers, Instant now,
                                                Duration window, Set<String> updated, Map<String, Instant> startingSince,
                                                Set<String> nodeComingBack) {
        Convergence.Snapshot snapshot = new Convergence.Snapshot(services(services), tasks(tasks),
                containers.stream().map(Container::from).toList());
        return Convergence.evaluate(snapshot, now, window, new Convergence.Observed(updated, startingSince, nodeComingBack));
    }

    private static List<String> contestedPorts(List<JsonNode> services, List<JsonNode> tasks) {
        return Convergence.contestedPorts(services(services), tasks(tasks));
    }

    private static HostPortConflict.Decision decide(JsonNode service, JsonNode task, List<JsonNode> services, List<JsonNode> tasks,
                                                    List<PortHolder> holders, Instant now) {
        return HostPortConflict.decide(Service.from(service), Task.from(task), services(services), tasks(tasks), holders, now);
    }

    private static Convergence.Verdict evaluate(JsonNode service, JsonNode... tasks) {
        return evaluate(List.of(service), List.of(tasks), NOW, WINDOW);
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
    void aWaitSaysWhenTheFirstWindowEndsSoTheWatchLooksThen() {
        JsonNode svc = service("{'Replicated':{'Replicas':3}}");
        var snapshot = new Convergence.Snapshot(services(List.of(svc)), tasks(List.of(running("t-early", "2026-11-21T18:00:09.700Z"),
                running("t-late", "2026-11-21T18:00:09.900Z"), running("t-crashed", "2026-11-21T18:00:09.600Z"))));
        // the crashed one's container has stopped: its window never ends, so it sets no time to look
        var observed = new Convergence.Observed(Set.of(), Map.of(), Set.of(), Map.of(), Set.of("t-crashed"));
        var w = assertInstanceOf(Convergence.Verdict.Waiting.class, Convergence.evaluate(snapshot, NOW, WINDOW, observed));
        assertEquals(Instant.parse("2026-11-21T18:00:10.200Z"), w.windowEnds(), "the earliest window's end");
        // the window counts from the container's start where that is known
        var started = new Convergence.Observed(Set.of(), Map.of(), Set.of(), Map.of("t-early", Instant.parse("2026-11-21T18:00:09.650Z"),
                "t-late", Instant.parse("2026-11-21T18:00:09.850Z")), Set.of("t-crashed"));
        w = assertInstanceOf(Convergence.Verdict.Waiting.class, Convergence.evaluate(snapshot, NOW, WINDOW, started));
        assertEquals(Instant.parse("2026-11-21T18:00:10.150Z"), w.windowEnds());
        // nothing inside a window (still preparing): no time to look at
        w = assertInstanceOf(Convergence.Verdict.Waiting.class, evaluate(svc, task("preparing", "running", "2026-11-21T18:00:09Z", "")));
        assertEquals(null, w.windowEnds());
    }

    @Test
    void withAHealthcheckTheMonitorWindowCountsFromWhenTheTaskWasSeenStarting() {
        JsonNode svc = json("{'ID':'s1','CreatedAt':'2026-11-21T18:00:00Z','Spec':{'Name':'st_web','Mode':{'Replicated':{'Replicas':1}},"
                + "'TaskTemplate':{'ContainerSpec':{'Image':'img','Healthcheck':{'Test':['CMD','true']}}}},'ServiceStatus':{'DesiredTasks':1}}");
        // running for 200 ms only, but starting (until its healthcheck passed) since 18:00:08
        JsonNode t = task("running", "running", "2026-11-21T18:00:09.800Z", "");
        var seen = java.util.Map.of("t-running", Instant.parse("2026-11-21T18:00:08Z"));
        var v = evaluate(List.of(svc), List.of(t), List.of(), NOW, WINDOW, java.util.Set.of(), seen);
        var c = assertInstanceOf(Convergence.Verdict.Converged.class, v);
        assertEquals("st_web 1/1 running", c.services().getFirst().toString());
        assertEquals(Instant.parse("2026-11-21T18:00:09.800Z"), c.lastRunning(), "still when it started running");
        // seen starting just now: the window is not over
        var recent = java.util.Map.of("t-running", Instant.parse("2026-11-21T18:00:09.700Z"));
        assertInstanceOf(Convergence.Verdict.Waiting.class,
                evaluate(List.of(svc), List.of(t), List.of(), NOW, WINDOW, java.util.Set.of(), recent));
    }

    @Test
    void theMonitorWindowCountsFromTheContainersStartWhenTheEngineSaysIt() {
        // swarm says running 200 ms ago, once the load balancer is wired; the process has been up since 18:00:09.300
        JsonNode svc = service("{'Replicated':{'Replicas':1}}");
        JsonNode t = task("running", "running", "2026-11-21T18:00:09.800Z", "");
        Convergence.Snapshot snapshot = new Convergence.Snapshot(services(List.of(svc)), tasks(List.of(t)));
        var started = Map.of("t-running", Instant.parse("2026-11-21T18:00:09.300Z"));
        var c = assertInstanceOf(Convergence.Verdict.Converged.class,
                Convergence.evaluate(snapshot, NOW, WINDOW, new Convergence.Observed(Set.of(), Map.of(), Set.of(), started, Set.of())));
        assertEquals(Instant.parse("2026-11-21T18:00:09.800Z"), c.lastRunning(), "still when swarm said it ran");
        // up 400 ms only: the window is not over
        var recent = Map.of("t-running", Instant.parse("2026-11-21T18:00:09.600Z"));
        assertInstanceOf(Convergence.Verdict.Waiting.class,
                Convergence.evaluate(snapshot, NOW, WINDOW, new Convergence.Observed(Set.of(), Map.of(), Set.of(), recent, Set.of())));
        // swarm still says running, but the engine says the container has stopped: not counted, whatever its window
        assertInstanceOf(Convergence.Verdict.Waiting.class, Convergence.evaluate(snapshot, NOW, WINDOW,
                new Convergence.Observed(Set.of(), Map.of(), Set.of(), started, Set.of("t-running"))));
        // a start time is no use to a task that does not run (yet)
        JsonNode starting = task("starting", "running", "2026-11-21T18:00:09.000Z", "");
        var early = Map.of("t-starting", Instant.parse("2026-11-21T18:00:09.000Z"));
        assertInstanceOf(Convergence.Verdict.Waiting.class, Convergence.evaluate(new Convergence.Snapshot(services(List.of(svc)),
                tasks(List.of(starting))), NOW, WINDOW, new Convergence.Observed(Set.of(), Map.of(), Set.of(), early, Set.of())));
    }

    @Test
    void withoutAHealthcheckTheMonitorWindowCountsFromRunning() {
        // "starting" is only the container being started; it must keep running for the window after that
        JsonNode svc = service("{'Replicated':{'Replicas':1}}");
        JsonNode t = task("running", "running", "2026-11-21T18:00:09.800Z", "");
        var seen = java.util.Map.of("t-running", Instant.parse("2026-11-21T18:00:08Z"));
        assertInstanceOf(Convergence.Verdict.Waiting.class,
                evaluate(List.of(svc), List.of(t), List.of(), NOW, WINDOW, java.util.Set.of(), seen));
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
    void aTaskNoNodeTakesWaitsWhileANodeComesBackAndOtherwiseFailsSayingSo() {
        JsonNode svc = service("{'Replicated':{'Replicas':1}}");
        JsonNode t = task("pending", "running", "2026-11-21T18:00:05Z",
                ",'Err':'no suitable node (1 node not available for new tasks)'");
        assertTrue(Convergence.waitsForANode(Task.from(t)));
        assertFalse(Convergence.waitsForANode(Task.from(task("pending", "running", "2026-11-21T18:00:05Z",
                ",'Err':'no suitable node (scheduling constraints not satisfied on 1 node; 1 node not available for new tasks)'"))));
        // a restarted manager marks its own node unknown until it reports again: the scheduler places the task then
        assertInstanceOf(Convergence.Verdict.Waiting.class, evaluate(List.of(svc), List.of(t), List.of(), NOW, WINDOW,
                Set.of(), Map.of(), Set.of(t.path("ID").asText())));
        TaskFailure f = assertInstanceOf(Convergence.Verdict.Failing.class, evaluate(svc, t)).failure();
        assertEquals(TaskFailure.Kind.NO_SUITABLE_NODE, f.kind());
        assertEquals("st_web: no node takes new tasks (every node that could run it is drained, paused or down) "
                + "(engine: no suitable node (1 node not available for new tasks))", f.describe());
    }

    // A stop-first update of st_web (host-mode port 8080) whose old task's process ignores SIGTERM:
    // the new task t-new was created at 18:00:00 and the scheduler wrote its port error at once.
    private static final JsonNode WEB = json("{'ID':'s1','CreatedAt':'2026-11-21T17:00:00Z','Spec':{'Name':'st_web',"
            + "'Labels':{'com.docker.stack.namespace':'st'},'Mode':{'Replicated':{'Replicas':1}},"
            + "'TaskTemplate':{'ContainerSpec':{'Image':'img'}},'EndpointSpec':{'Ports':[{'Protocol':'tcp','TargetPort':8080,"
            + "'PublishedPort':8080,'PublishMode':'host'}]}},'Endpoint':{'Spec':{'Ports':[{'Protocol':'tcp','TargetPort':8080,"
            + "'PublishedPort':8080,'PublishMode':'host'},{'Protocol':'udp','TargetPort':53,'PublishedPort':5353,'PublishMode':'ingress'}]}},"
            + "'UpdateStatus':{'State':'updating'}}");
    private static final JsonNode NEW = json("{'ID':'t-new','ServiceID':'s1','DesiredState':'ready','CreatedAt':'2026-11-21T18:00:00Z',"
            + "'Spec':{'ContainerSpec':{'Image':'img'}},'Status':{'Timestamp':'2026-11-21T18:00:00.100Z','State':'pending',"
            + "'Message':'pending task scheduling','Err':'no suitable node (host-mode port already in use on 1 node)'}}");

    private static JsonNode oldTask(String state, String at) {
        return json("{'ID':'t-old','ServiceID':'s1','DesiredState':'shutdown','CreatedAt':'2026-11-21T17:00:00Z',"
                + "'Spec':{'ContainerSpec':{'Image':'old'}},'Status':{'Timestamp':'" + at + "','State':'" + state + "'}}");
    }

    /** A container as {@code GET /containers/json?all=1} lists it; a stopped one publishes no ports. */
    private static JsonNode container(String name, String serviceId, String service, String task, String stack, String state, int port) {
        String labels = serviceId == null ? "{}" : "{'com.docker.swarm.service.id':'" + serviceId + "','com.docker.swarm.service.name':'"
                + service + "','com.docker.swarm.task.id':'" + task + "','com.docker.stack.namespace':'" + stack + "'}";
        String ports = port == 0 ? "[]" : "[{'IP':'0.0.0.0','PrivatePort':8080,'PublicPort':" + port + ",'Type':'tcp'},"
                + "{'IP':'::','PrivatePort':8080,'PublicPort':" + port + ",'Type':'tcp'}]";
        return json("{'Id':'c-" + name + "','Names':['/" + name + "'],'State':'" + state + "','Labels':" + labels + ",'Ports':" + ports + "}");
    }

    private static JsonNode oldContainer(String state, int port) {
        return container("st_web.1.t-old", "s1", "st_web", "t-old", "st", state, port);
    }

    private static Convergence.Verdict update(Instant now, List<JsonNode> tasks, JsonNode... containers) {
        return evaluate(List.of(WEB), tasks, List.of(containers), now, WINDOW);
    }

    private static TaskFailure failure(Convergence.Verdict v) {
        return assertInstanceOf(Convergence.Verdict.Failing.class, v).failure();
    }

    @Test
    void theNewTaskWaitsWhileTheOldContainerStillPublishesThePortLongAfterAnyFixedGrace() {
        Instant at = Instant.parse("2026-11-21T18:00:13Z");
        var v = update(at, List.of(oldTask("running", "2026-11-21T17:00:01Z"), NEW), oldContainer("running", 8080));
        assertEquals("st_web 0/1 update updating", assertInstanceOf(Convergence.Verdict.Waiting.class, v).services().getFirst().toString());
    }

    @Test
    void theOldTaskAlreadyShutdownOrFailedWhileItsContainerStillPublishesThePortIsAWait() {
        Instant at = Instant.parse("2026-11-21T18:00:40Z");
        for (String state : List.of("shutdown", "failed")) {
            List<JsonNode> tasks = List.of(oldTask(state, "2026-11-21T18:00:13Z"), NEW);
            assertEquals(new HostPortConflict.Decision.Wait("st_web.1.t-old of this run still publishes 8080"),
                    decide(WEB, NEW, List.of(WEB), tasks, PortHolder.of(List.of(Container.from(oldContainer("running", 8080)))), at), state);
        }
        for (String state : List.of("shutdown", "failed")) {
            var v = update(at, List.of(oldTask(state, "2026-11-21T18:00:13Z"), NEW), oldContainer("running", 8080));
            assertInstanceOf(Convergence.Verdict.Waiting.class, v, state);
        }
        // the old task is gone from the list (history limit) but its container is still being removed
        assertInstanceOf(Convergence.Verdict.Waiting.class, update(at, List.of(NEW), oldContainer("removing", 8080)));
    }

    @Test
    void whileTheSchedulerStillCountsTheOldTaskItIsAWaitEvenWhenItsContainerNoLongerPublishes() {
        Instant at = Instant.parse("2026-11-21T18:00:13Z");
        var v = update(at, List.of(oldTask("running", "2026-11-21T17:00:01Z"), NEW), oldContainer("exited", 0));
        assertInstanceOf(Convergence.Verdict.Waiting.class, v);
    }

    @Test
    void theErrorWrittenBeforeTheOldTaskEndedIsStaleForOneSchedulerPass() {
        // the old container stopped at 18:00:13: listed, exited, no ports; the scheduler has not looked again yet
        List<JsonNode> tasks = List.of(oldTask("shutdown", "2026-11-21T18:00:13Z"), NEW);
        assertInstanceOf(Convergence.Verdict.Waiting.class, update(Instant.parse("2026-11-21T18:00:13.150Z"), tasks, oldContainer("exited", 0)));
        assertInstanceOf(Convergence.Verdict.Waiting.class, update(Instant.parse("2026-11-21T18:00:17Z"), tasks, oldContainer("exited", 0)));
        // a pass later the scheduler has looked and still finds the port in use: held by something not listed
        TaskFailure f = failure(update(Instant.parse("2026-11-21T18:00:18.500Z"), tasks, oldContainer("exited", 0)));
        assertEquals(TaskFailure.Kind.PORT_IN_USE, f.kind());
        assertEquals("st_web: port 8080 is held by a process outside Docker or on another node, not by this run "
                + "(engine: no suitable node (host-mode port already in use on 1 node))", f.describe());
    }

    @Test
    void anOldTaskTheEngineFailsWhileKillingItDuringTheUpdateIsNotTheUpdatesFailure() {
        JsonNode killed = json("{'ID':'t-old','ServiceID':'s1','DesiredState':'shutdown','Spec':{'ContainerSpec':{'Image':'old'}},"
                + "'Status':{'Timestamp':'2026-11-21T18:00:13Z','State':'failed','Err':'error while removing network: unknown network "
                + "st_default id zmonoldnytqwguawrglkx8kv0','ContainerStatus':{'ExitCode':137}}}");
        assertInstanceOf(Convergence.Verdict.Waiting.class, update(Instant.parse("2026-11-21T18:00:13.200Z"), List.of(killed, NEW)));
        // a task of the current spec that fails is a failure, whatever its desired state
        JsonNode current = json(killed.toString().replace("\"old\"", "\"img\""));
        assertEquals(TaskFailure.Kind.CONTAINER_EXITED, failure(update(Instant.parse("2026-11-21T18:00:13.200Z"), List.of(current, NEW))).kind());
    }

    @Test
    void aTaskOfTheServiceThatEndedBeforeTheErrorDoesNotExcuseIt() {
        // the scheduler wrote the error after the old task had ended: it looked, and something else has the port
        JsonNode fresh = json(NEW.toString().replace("18:00:00.100Z", "18:00:14Z"));
        var v = update(Instant.parse("2026-11-21T18:00:14.500Z"), List.of(oldTask("shutdown", "2026-11-21T18:00:13Z"), fresh));
        assertEquals(TaskFailure.Kind.PORT_IN_USE, failure(v).kind());
    }

    @Test
    void aPortHeldByAnotherStacksContainerFailsAtOnceNamingIt() {
        JsonNode first = json("{'ID':'t-1','ServiceID':'s1','DesiredState':'running','CreatedAt':'2026-11-21T18:00:09.800Z',"
                + "'Spec':{'ContainerSpec':{'Image':'img'}},'Status':{'Timestamp':'2026-11-21T18:00:09.900Z','State':'pending',"
                + "'Err':'no suitable node (host-mode port already in use on 1 node)'}}");
        JsonNode other = container("other_web.1.x7", "s9", "other_web", "x7", "other", "running", 8080);
        TaskFailure f = failure(update(NOW, List.of(first), other));
        assertEquals(TaskFailure.Kind.PORT_IN_USE, f.kind());
        assertEquals("st_web: port 8080 is held by other_web, not by this run (engine: no suitable node (host-mode port already in use on 1 node))",
                f.describe());
        // while our own old container is still stopping too
        f = failure(update(NOW, List.of(oldTask("running", "2026-11-21T17:00:01Z"), NEW), oldContainer("exited", 0), other));
        assertEquals("st_web: port 8080 is held by other_web, not by this run (engine: no suitable node (host-mode port already in use on 1 node))",
                f.describe());
    }

    @Test
    void aPortHeldByAContainerOutsideSwarmNamesTheContainer() {
        JsonNode plain = container("legacy-proxy", null, null, null, null, "running", 8080);
        assertEquals("st_web: port 8080 is held by legacy-proxy, not by this run (engine: no suitable node (host-mode port already in use on 1 node))",
                failure(update(NOW, List.of(NEW), plain)).describe());
    }

    @Test
    void aContainerPublishingAnotherPortIsNoHolder() {
        JsonNode elsewhere = container("other_web.1.x7", "s9", "other_web", "x7", "other", "running", 9090);
        assertInstanceOf(Convergence.Verdict.Waiting.class,
                update(NOW, List.of(oldTask("running", "2026-11-21T17:00:01Z"), NEW), oldContainer("running", 8080), elsewhere));
    }

    @Test
    void theContainerOfAServiceTheUpdateRemovedIsBeingFreed() {
        // the new version renamed app to web: st_app's last container is still being killed
        JsonNode removed = container("st_app.1.a1", "s-gone", "st_app", "a1", "st", "running", 8080);
        assertInstanceOf(Convergence.Verdict.Waiting.class, update(NOW, List.of(NEW), removed));
    }

    @Test
    void anotherServiceOfTheRunThatKeepsThePortIsNamed() {
        JsonNode db = json("{'ID':'s2','Spec':{'Name':'st_db','Labels':{'com.docker.stack.namespace':'st'},"
                + "'Mode':{'Replicated':{'Replicas':1}},'TaskTemplate':{'ContainerSpec':{'Image':'img'}}}}");
        JsonNode dbTask = json("{'ID':'d1','ServiceID':'s2','DesiredState':'running','Spec':{'ContainerSpec':{'Image':'img'}},"
                + "'Status':{'Timestamp':'2026-11-21T17:00:01Z','State':'running'}}");
        JsonNode holder = container("st_db.1.d1", "s2", "st_db", "d1", "st", "running", 8080);
        var v = evaluate(List.of(WEB, db), List.of(NEW, dbTask), List.of(holder), NOW, WINDOW);
        assertEquals("st_web: port 8080 is held by st_db, another service of this run (engine: no suitable node "
                + "(host-mode port already in use on 1 node))", failure(v).describe());
        // the same container while st_db's update stops it is being freed
        JsonNode stopping = json(dbTask.toString().replace("\"DesiredState\":\"running\"", "\"DesiredState\":\"shutdown\""));
        assertInstanceOf(Convergence.Verdict.Waiting.class,
                evaluate(List.of(WEB, db), List.of(NEW, stopping), List.of(holder), NOW, WINDOW));
    }

    @Test
    void thePortsToLookUpAreTheHostModePortsOfServicesWithATaskWaitingForOne() {
        assertEquals(List.of("8080/tcp"), contestedPorts(List.of(WEB), List.of(oldTask("running", "2026-11-21T17:00:01Z"), NEW)));
        // the common path: no task reports a port in use, so the watcher lists no containers
        assertEquals(List.of(), contestedPorts(List.of(WEB), List.of(oldTask("running", "2026-11-21T17:00:01Z"))));
        assertEquals(List.of(), contestedPorts(List.of(WEB), List.of(task("pending", "running", "2026-11-21T18:00:05Z",
                ",'Err':'no suitable node (scheduling constraints not satisfied on 1 node)'"))));
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

    private static JsonNode updated(String state, String message) {
        return json("{'ID':'s1','Spec':{'Name':'st_web','Mode':{'Replicated':{'Replicas':1}},"
                + "'TaskTemplate':{'ContainerSpec':{'Image':'img'}}},'UpdateStatus':{'State':'" + state + "','Message':'" + message + "'}}");
    }

    @Test
    void anUpdateThisRunMadeThatSwarmPausedOrRolledBackFailsAtOnceWithTheEnginesMessage() {
        JsonNode running = task("running", "running", "2026-11-21T18:00:00Z", "");
        record Case(String state, TaskFailure.Kind kind, String sentence) {}
        for (Case c : List.of(
                new Case("paused", TaskFailure.Kind.UPDATE_PAUSED, "st_web: Swarm paused its update (engine: update paused due to failure or early termination of task t1)"),
                new Case("rollback_started", TaskFailure.Kind.UPDATE_ROLLED_BACK, "st_web: Swarm is rolling its update back (engine: update rolled back due to failure or early termination of task t1)"),
                new Case("rollback_paused", TaskFailure.Kind.UPDATE_ROLLED_BACK, "st_web: Swarm paused the rollback of its update (engine: update rolled back due to failure or early termination of task t1)"),
                new Case("rollback_completed", TaskFailure.Kind.UPDATE_ROLLED_BACK, "st_web: Swarm rolled its update back (engine: update rolled back due to failure or early termination of task t1)"))) {
            String message = c.state().equals("paused") ? "update paused due to failure or early termination of task t1"
                    : "update rolled back due to failure or early termination of task t1";
            var v = evaluate(List.of(updated(c.state(), message)), List.of(running), List.of(), NOW, WINDOW, java.util.Set.of("s1"));
            TaskFailure f = assertInstanceOf(Convergence.Verdict.Failing.class, v, c.state()).failure();
            assertEquals(c.kind(), f.kind(), c.state());
            assertEquals(c.sentence(), f.describe());
        }
    }

    @Test
    void anUpdateThatIsStillGoingOnIsWaitedFor() {
        var v = evaluate(List.of(updated("updating", "update in progress")), List.of(task("running", "running", "2026-11-21T18:00:00Z", "")),
                List.of(), NOW, WINDOW, java.util.Set.of("s1"));
        assertEquals("st_web 1/1 update updating", assertInstanceOf(Convergence.Verdict.Waiting.class, v).services().getFirst().toString());
    }

    @Test
    void anUpdateAnotherRunLeftRolledBackOrPausedIsHowTheServiceIsNow() {
        for (String state : List.of("rollback_completed", "paused", "rollback_paused")) {
            var v = evaluate(List.of(updated(state, "earlier")), List.of(task("running", "running", "2026-11-21T18:00:00Z", "")),
                    List.of(), NOW, WINDOW, java.util.Set.of());
            assertEquals("st_web 1/1 running", assertInstanceOf(Convergence.Verdict.Converged.class, v, state).services().getFirst().toString());
        }
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
            assertEquals(c.kind(), TaskFailure.classify("s", Task.from(t)).kind(), c.err());
        }
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
