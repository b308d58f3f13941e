package io.longshore.prune;

import io.longshore.kit.run.Plugin;
import io.longshore.testenv.RefusalsContract;
import java.util.List;
import java.util.Set;

class RefusalsTest extends RefusalsContract {
    @Override
    protected Plugin plugin() {
        return new PruneCommand();
    }

    @Override
    protected List<Refusal> refusals() {
        return List.of(
                new Refusal("PLUGIN_PATH", "/nonexistent/docker"));
    }

    @Override
    protected Set<String> acceptsAnyValue() {
        return Set.of("PLUGIN_HELPER_IMAGE"); // an image reference: checked against the engine when a node needs it
    }
}
