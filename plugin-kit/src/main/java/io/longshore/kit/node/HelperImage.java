package io.longshore.kit.node;

import io.longshore.kit.engine.Engine;
import io.longshore.kit.engine.EngineApiException;
import io.longshore.kit.run.PluginInfo;
import java.util.Optional;

/**
 * The image a plugin's helper jobs on other nodes run, as an image ID on the manager: the
 * {@code helper_image} setting when given; else the image this plugin runs from (its own container
 * on this engine, when it runs in one); else {@code <fallback>:<version>} or {@code :latest}. It is
 * never pulled: the job references it by ID, so it must already be on every node.
 */
public final class HelperImage {
    private final Engine engine;
    private final String configured;
    private final String fallback;
    private Optional<String> id;

    public HelperImage(Engine engine, String configured, String fallback) {
        this.engine = engine;
        this.configured = configured == null || configured.isBlank() ? null : configured.trim();
        this.fallback = fallback;
    }

    public synchronized Optional<String> id() {
        if (id == null) {
            id = resolve();
        }
        return id;
    }

    /** Why there is none, for a sentence naming the setting. */
    public String missing() {
        return "no helper image to ask it with (" + (configured != null ? configured : "neither the plugin's own image nor " + fallback)
                + " is on the manager): set PLUGIN_HELPER_IMAGE to a longshore plugin image present on every node";
    }

    private Optional<String> resolve() {
        if (configured != null) {
            return inspect(configured);
        }
        String self = System.getenv("HOSTNAME");
        if (self != null && !self.isBlank()) {
            try {
                String image = engine.get("/containers/" + self + "/json").path("Image").asText("");
                if (!image.isEmpty()) {
                    return Optional.of(image);
                }
            } catch (EngineApiException e) {
                // not a container on this engine: the fallback then
            }
        }
        return inspect(fallback + ":" + PluginInfo.version()).or(() -> inspect(fallback + ":latest"));
    }

    private Optional<String> inspect(String ref) {
        try {
            return Optional.of(engine.get("/images/" + ref + "/json").path("Id").asText()).filter(s -> !s.isEmpty());
        } catch (EngineApiException e) {
            return Optional.empty();
        }
    }
}
