package io.longshore.deploy.it;

import io.longshore.kit.engine.Engine;
import io.longshore.testenv.TestEnv;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every deploy integration test shares: a connection to the private engine, and the stacks
 * the test created, removed (with everything they made) after each test whatever happened.
 */
abstract class EngineStacksTest {
    protected Engine engine;
    protected final List<String> stacks = new ArrayList<>();

    @BeforeEach
    void connect() {
        engine = Engine.connect(TestEnv.require());
    }

    @AfterEach
    void cleanUp() {
        beforeCleanUp();
        stacks.forEach(s -> TestStacks.removeAll(engine, s));
        engine.close();
    }

    /** Runs before the stacks go (the oracle lets jobs complete first). */
    protected void beforeCleanUp() {}

    /** A unique stack name that is cleaned up after the test. */
    protected String newStack() {
        String s = TestStacks.uniqueStack();
        stacks.add(s);
        return s;
    }
}
