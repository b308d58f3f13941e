package io.longshore.kit.run;

import io.longshore.kit.ci.CiContext;
import io.longshore.kit.output.Events;
import io.longshore.kit.output.Masker;
import java.time.Instant;
import java.util.Map;

/**
 * What a running plugin gets from the kit: its name and version, the environment it was started
 * with, the CI context, the one event sink, the masker for secrets it derives, and the exit hooks.
 */
public record Job(String plugin, String version, Map<String, String> env, CiContext ci, Events events,
                  Masker masker, ShutdownHooks hooks, Instant startedAt) {

    /** A job for tests and benchmarks: no output, no JVM hook. */
    public static Job detached(String plugin, Map<String, String> env) {
        return new Job(plugin, PluginInfo.version(), env, CiContext.from(env), Events.none(), new Masker(),
                new ShutdownHooks(m -> {}), Instant.now());
    }
}
