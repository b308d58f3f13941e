package io.longshore.testenv;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A plugin's stdout for in-JVM runs that acts when a chosen line is printed: the action runs in the
 * printing thread before the line returns, so "restart the engine when the teardown starts waiting
 * for tasks" happens exactly there, not after a guessed delay.
 */
public final class WatchedOutput extends OutputStream {
    private record Trigger(Predicate<String> line, Runnable action, boolean[] fired) {}

    private final ByteArrayOutputStream all = new ByteArrayOutputStream();
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final List<Trigger> triggers = new CopyOnWriteArrayList<>();

    /** The header line of step {@code name} as the console prints it, numbered ({@code ==> [4/6] converge}) or not. */
    public static Predicate<String> step(String name) {
        Pattern header = Pattern.compile("==> (\\[\\d+/\\d+\\] )?" + Pattern.quote(name));
        return l -> header.matcher(l).matches();
    }

    /** Runs {@code action} once, when the first line matching {@code line} is printed. */
    public WatchedOutput once(Predicate<String> line, Runnable action) {
        triggers.add(new Trigger(line, action, new boolean[1]));
        return this;
    }

    public PrintStream stream() {
        return new PrintStream(this, true, StandardCharsets.UTF_8);
    }

    @Override
    public void write(int b) {
        Trigger due = null;
        synchronized (this) {
            all.write(b);
            if (b != '\n') {
                line.write(b);
                return;
            }
            String text = line.toString(StandardCharsets.UTF_8);
            line.reset();
            for (Trigger t : triggers) {
                if (!t.fired()[0] && t.line().test(text)) {
                    t.fired()[0] = true;
                    due = t;
                    break;
                }
            }
        }
        if (due != null) {
            due.action().run();
        }
    }

    public synchronized String text() {
        return all.toString(StandardCharsets.UTF_8);
    }
}
