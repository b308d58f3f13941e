package io.longshore.kit.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import io.longshore.kit.engine.ScriptedEngine.FakeClock;
import io.longshore.kit.engine.ScriptedEngine.How;
import io.longshore.kit.output.Events;
import io.longshore.kit.run.UnreachableException;
import io.longshore.kit.wait.Deadline;
import io.longshore.kit.wait.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The tolerance layer against a scripted transport: what is repeated, what is settled by looking, what is said. */
class TolerantTransportTest {
    final ScriptedEngine scripted = new ScriptedEngine();
    final FakeClock clock = new FakeClock();
    final List<String> said = new ArrayList<>();
    final Map<String, String> ours = Map.of("io.longshore.run", "app-1", "io.longshore.created", "2026-12-01T10:00:00Z");
    Engine engine;
    TolerantTransport transport;

    @BeforeEach
    void connect() {
        Events events = new Events() {
            public void step(String name) {}

            public void progress(String message) {
                said.add(message);
            }

            public void warn(String message) {
                said.add("warning: " + message);
            }
        };
        TolerantTransport.Policy policy = new TolerantTransport.Policy(Duration.ofSeconds(60), Duration.ofMillis(100),
                Duration.ofMillis(500), Duration.ofMillis(100), Duration.ofMillis(400), clock, clock::advance);
        transport = new TolerantTransport(scripted, "unix:///test.sock", policy, new Outages("unix:///test.sock", events, clock));
        DefaultDockerClientConfig dc = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost("unix:///test.sock").build();
        engine = new Engine(DockerClientImpl.getInstance(dc, transport), transport, "unix:///test.sock");
        engine.get("/info"); // the engine has answered once: from now on a failure is an outage
    }

    /** A deadline on the test's fake clock. */
    Deadline at(java.time.Instant t) {
        return new Deadline(t, new TimeSource(clock, clock::advance), () -> false);
    }

    Map<String, Object> secret(String name) {
        return Map.of("Name", name, "Labels", ours, "Data", "eA==");
    }

    @Test
    void aReadIsRepeatedUntilTheEngineIsBackAndTheConsoleHearsOnceEachWay() {
        scripted.fail("GET /tasks", 7, How.REFUSE);

        assertTrue(engine.get("/tasks").isArray());

        assertEquals(List.of("warning: the Docker engine at unix:///test.sock went away (Connection refused on GET /tasks); "
                + "waiting up to 60.0s for it to come back"), said.subList(0, 1));
        assertEquals(2, said.size(), said.toString());
        assertTrue(said.get(1).startsWith("the Docker engine at unix:///test.sock is back after "), said.toString());
    }

    @Test
    void aCreateWhoseAnswerWasLostIsSettledByLookingAndNotDoneTwice() {
        scripted.fail("POST /secrets/create", 1, How.LOSE_ANSWER);

        JsonNode answer = engine.post("/secrets/create", secret("app-1_db_v1"));

        assertEquals(scripted.secrets.get("app-1_db_v1").id(), answer.path("ID").asText());
        assertEquals(1, scripted.count("POST /secrets/create"), scripted.seen.toString());
        assertEquals(1, scripted.secrets.size());
    }

    @Test
    void aCreateThatCannotHaveReachedTheEngineIsSentAgainAfterLookingForIt() {
        scripted.fail("POST /secrets/create", 2, How.REFUSE);

        JsonNode answer = engine.post("/secrets/create", secret("app-1_db_v1"));

        assertEquals(scripted.secrets.get("app-1_db_v1").id(), answer.path("ID").asText());
        assertEquals(3, scripted.count("POST /secrets/create"));
        assertTrue(scripted.count("GET /secrets?filters=") >= 1, "an earlier attempt is looked for first");
    }

    @Test
    void aNameTakenByAnotherHoldersObjectIsAConflictNotOurs() {
        scripted.secrets.put("longshore-lock-ci", new ScriptedEngine.Secret("s99", "longshore-lock-ci", Map.of("io.longshore.lock.token", "theirs")));
        scripted.fail("POST /secrets/create", 1, How.RESET_BEFORE);

        EngineApiException e = assertThrows(EngineApiException.class,
                () -> engine.post("/secrets/create", Map.of("Name", "longshore-lock-ci", "Labels", Map.of("io.longshore.lock.token", "ours"))));

        assertEquals(409, e.status());
        assertTrue(e.getMessage().contains("does not carry this create's labels"), e.getMessage());
        assertEquals("theirs", scripted.secrets.get("longshore-lock-ci").labels().get("io.longshore.lock.token"));
    }

    @Test
    void aRemoveWhoseAnswerWasLostCountsAsDoneWhenTheRepeatFindsItGone() {
        String id = engine.post("/secrets/create", secret("app-1_db_v1")).path("ID").asText();
        scripted.fail("DELETE /secrets/", 1, How.LOSE_ANSWER);

        engine.delete("/secrets/" + id);

        assertEquals(2, scripted.count("DELETE /secrets/" + id));
        assertTrue(scripted.secrets.isEmpty());
    }

    @Test
    void aFirstRemoveOfSomethingAlreadyGoneStaysTheEnginesNotFound() {
        EngineApiException e = assertThrows(EngineApiException.class, () -> engine.delete("/secrets/nope"));
        assertEquals(404, e.status());
    }

    @Test
    void aServiceUpdateWhoseAnswerWasLostIsNotAppliedTwice() {
        scripted.fail("POST /services/web/update", 1, How.LOSE_ANSWER);

        engine.post("/services/web/update?version=10", Map.of("Name", "web"));

        assertEquals(11, scripted.serviceVersion, "applied once: the look saw the version move");
        assertEquals(1, scripted.count("POST /services/web/update"));
    }

    @Test
    void swarmNotManagerAnswersAreWaitedForAndTheOutageEndsOnlyWithAManagerAgain() {
        scripted.answer("GET /services", 4, 503, "This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\"");
        scripted.swarmControl = false;

        engine.get("/services");

        assertEquals(5, scripted.count("GET /services"));
        assertTrue(said.getFirst().contains("went away (This node is not a swarm manager."), said.toString());
        assertEquals(1, said.size(), "no manager yet, so not back yet: " + said);
        scripted.swarmControl = true;
        clock.advance(Duration.ofSeconds(1));
        engine.get("/services");
        assertTrue(said.get(1).contains("is back after"), said.toString());
        assertEquals(2, said.size(), said.toString());
    }

    @Test
    void aPlainServerErrorIsTheEnginesAnswerNotAnOutage() {
        scripted.answer("GET /tasks", 1, 500, "cannot read the task store: disk full");

        EngineApiException e = assertThrows(EngineApiException.class, () -> engine.get("/tasks"));

        assertEquals(500, e.status());
        assertEquals(1, scripted.count("GET /tasks"));
        assertTrue(said.isEmpty(), said.toString());
    }

    @Test
    void anEngineThatStaysAwayEndsTheCallAfterTheBudgetWithASentenceNamingIt() {
        scripted.down();

        UnreachableException e = assertThrows(UnreachableException.class, () -> engine.get("/tasks?filters=x"));

        assertEquals("the Docker engine at unix:///test.sock went away and did not come back within 60.0s: GET /tasks failed "
                + "(Connection refused)", e.getMessage());
        assertTrue(clock.now.isAfter(java.time.Instant.parse("2026-12-01T10:00:59Z")), clock.now.toString());
    }

    @Test
    void aViewStopsWaitingAtItsDeadline() {
        scripted.down();
        Engine view = engine.within(at(clock.instant().plusSeconds(5)));

        UnreachableException e = assertThrows(UnreachableException.class, () -> view.delete("/secrets/s1"));

        assertTrue(e.getMessage().contains("did not come back before the deadline: remove secret s1 failed"), e.getMessage());
        assertTrue(clock.now.isBefore(java.time.Instant.parse("2026-12-01T10:00:06Z")), clock.now.toString());
    }

    @Test
    void aViewGivesUpOnAnAnswerThatNeverComesAtItsDeadlineAndInterruptsTheAttempt() throws InterruptedException {
        String id = engine.post("/secrets/create", secret("app-1_db_v1")).path("ID").asText();
        scripted.fail("DELETE /secrets/", 1, How.STALL);
        Engine view = engine.within(at(clock.instant().plusMillis(300)));

        UnreachableException e = assertTimeoutPreemptively(Duration.ofSeconds(10), // a broken bound hangs: fail instead
                () -> assertThrows(UnreachableException.class, () -> view.delete("/secrets/" + id)));

        assertEquals("the Docker engine at unix:///test.sock did not answer remove secret " + id + " before the deadline "
                + "(waited 0.3s for its answer)", e.getMessage());
        assertTrue(Deadline.in(Duration.ofSeconds(5)).await(() -> scripted.interrupted.get() == 1), "the stalled attempt was interrupted");
        assertTrue(said.isEmpty(), "a silent engine is not reported as gone: " + said);
    }

    @Test
    void aCallWithoutADeadlineStillGivesUpOnAnAnswerThatNeverComes() throws InterruptedException {
        scripted.fail("POST /networks/create", 1, How.STALL);

        UnreachableException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(UnreachableException.class, () -> engine.post("/networks/create", Map.of("Name", "app-1_default"))));

        assertEquals("the Docker engine at unix:///test.sock did not answer create network app-1_default (waited 0.4s for its answer)",
                e.getMessage());
        assertTrue(Deadline.in(Duration.ofSeconds(5)).await(() -> scripted.interrupted.get() == 1), "the stalled attempt was interrupted");
    }

    @Test
    void aCallThroughAViewWhoseDeadlinePassedStillGetsOneShortLook() {
        scripted.fail("GET /tasks", 1, How.STALL);
        Engine view = engine.within(at(clock.instant().minusSeconds(1)));

        UnreachableException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(UnreachableException.class, () -> view.get("/tasks")));
        assertTrue(e.getMessage().endsWith("(waited 0.1s for its answer)"), e.getMessage());
        assertTrue(view.get("/tasks").isArray(), "an engine that answers is still heard after the deadline");
    }

    @Test
    void anEngineNeverReachedIsNotWaitedFor() {
        ScriptedEngine nothing = new ScriptedEngine().down();
        TolerantTransport t = new TolerantTransport(nothing, "unix:///none.sock", new TolerantTransport.Policy(Duration.ofSeconds(60),
                Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofMillis(100), Duration.ofMillis(400), clock, clock::advance), new Outages("unix:///none.sock", Events.none(), clock));
        DefaultDockerClientConfig dc = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost("unix:///none.sock").build();
        Engine never = new Engine(DockerClientImpl.getInstance(dc, t), t, "unix:///none.sock");

        UnreachableException e = assertThrows(UnreachableException.class, never::ping);

        assertTrue(e.getMessage().startsWith("the Docker engine at unix:///none.sock cannot be reached: Connection refused"), e.getMessage());
        assertEquals(1, nothing.seen.size());
    }

    @Test
    void aCallThatMightBeDoneTwiceIsNotRepeatedAfterItsAnswerWasLost() {
        scripted.fail("POST /swarm/join", 1, How.LOSE_ANSWER);

        UnreachableException e = assertThrows(UnreachableException.class, () -> engine.post("/swarm/join", Map.of()));

        assertTrue(e.getMessage().contains("lost the answer to POST /swarm/join"), e.getMessage());
        assertEquals(1, scripted.count("POST /swarm/join"));
    }

    @Test
    void onceTheProcessIsEndingNothingNewIsCreatedButRemovesStillGo() {
        String id = engine.post("/secrets/create", secret("app-1_a")).path("ID").asText();
        transport.endingWhen(() -> true);

        EngineApiException e = assertThrows(EngineApiException.class, () -> engine.post("/secrets/create", secret("app-1_b")));
        engine.delete("/secrets/" + id);

        assertTrue(e.getMessage().contains("create secret app-1_b was not sent: the process is ending"), e.getMessage());
        assertTrue(scripted.secrets.isEmpty());
    }

    @Test
    void outagesAreRecordedWithTheirTimes() {
        scripted.fail("GET /tasks", 3, How.REFUSE);
        engine.get("/tasks");

        List<Outages.Outage> all = engine.outages().all();
        assertEquals(1, all.size());
        assertTrue(all.getFirst().end() != null);
        assertTrue(engine.outages().covers(all.getFirst().start().plusMillis(1), Duration.ZERO));
        assertFalse(engine.outages().covers(all.getFirst().start().minusSeconds(60), Duration.ofSeconds(1)));
    }
}
