package io.longshore.kit.settings;

import java.util.List;

/** A list setting: comma-separated (how Drone and Woodpecker encode a YAML list) or a JSON array. */
public record StringList(List<String> values) {
    public StringList {
        values = List.copyOf(values);
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    @Override
    public String toString() {
        return String.join(",", values);
    }
}
