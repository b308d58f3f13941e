package io.longshore.kit.settings;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** A map setting: a JSON object (how both CIs encode a YAML map) or {@code KEY=VALUE,KEY=VALUE}. */
public record StringMap(Map<String, String> values) {
    public StringMap {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    @Override
    public String toString() {
        return values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }
}
