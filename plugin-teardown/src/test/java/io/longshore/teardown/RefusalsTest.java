package io.longshore.teardown;

import io.longshore.kit.run.Plugin;
import io.longshore.testenv.RefusalsContract;
import java.util.List;
import java.util.Map;
import java.util.Set;

class RefusalsTest extends RefusalsContract {
    @Override
    protected Plugin plugin() {
        return new TeardownCommand();
    }

    @Override
    protected Map<String, String> baseline() {
        return Map.of("PLUGIN_STACK", "app-1a2b3c");
    }

    @Override
    protected List<Refusal> refusals() {
        return List.of(
                new Refusal("PLUGIN_STACK", "", Map.of("PLUGIN_JANITOR", "false")),
                new Refusal("PLUGIN_STACK", "app-1a2b3c", Map.of("PLUGIN_PROTECT", "app-*")));
    }

    @Override
    protected Set<String> acceptsAnyValue() {
        return Set.of("PLUGIN_HELPER_IMAGE"); // an image reference: checked against the engine when a node needs it
    }
}
