package io.longshore.kit.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShutdownHooksTest {
    @Test
    void whatIsStillRegisteredRunsOnExitNewestFirst() {
        List<String> ran = new ArrayList<>();
        ShutdownHooks hooks = new ShutdownHooks(m -> {});
        hooks.register("release the lock", () -> ran.add("lock"));
        hooks.register("finish the teardown", () -> ran.add("teardown"));
        hooks.register("done already", () -> ran.add("done")).close();

        hooks.runAll();

        assertEquals(List.of("teardown", "lock"), ran);
    }

    @Test
    void closingOneOfTwoLikeRegistrationsLeavesTheOtherToRun() {
        List<String> ran = new ArrayList<>();
        ShutdownHooks hooks = new ShutdownHooks(m -> {});
        Runnable work = () -> ran.add("release");
        ShutdownHooks.Registration first = hooks.register("release the lock", work);
        hooks.register("release the lock", work);

        first.close();
        first.close();
        hooks.runAll();

        assertEquals(List.of("release"), ran);
    }
}
