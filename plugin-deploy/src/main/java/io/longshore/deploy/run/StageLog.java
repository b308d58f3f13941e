package io.longshore.deploy.run;

import io.longshore.kit.output.Events;
import java.util.ArrayList;
import java.util.List;

/** Keeps the lines a stage printed (steps, progress, warnings), so its result can carry their tail. */
public final class StageLog implements Events {
    private final List<String> lines = new ArrayList<>();

    @Override
    public synchronized void step(String name) {
        lines.add("== " + name);
    }

    @Override
    public synchronized void progress(String message) {
        lines.addAll(List.of(message.split("\r?\n")));
    }

    @Override
    public synchronized void warn(String message) {
        lines.add("warning: " + message);
    }

    /** The lines since the last call, and forgets them. */
    public synchronized List<String> take() {
        List<String> out = List.copyOf(lines);
        lines.clear();
        return out;
    }
}
