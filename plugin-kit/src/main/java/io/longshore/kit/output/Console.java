package io.longshore.kit.output;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/** Human output on stdout: a header per step, indented progress lines, one closing summary line. */
public final class Console implements Events {
    private final PrintStream out;
    private final Masker masker;
    private final String plugin;
    private final StepNumbers numbers = new StepNumbers();

    public Console(PrintStream out, Masker masker, String plugin) {
        this.out = out;
        this.masker = masker;
        this.plugin = plugin;
    }

    @Override
    public void planSteps(java.util.List<String> names) {
        numbers.plan(names);
    }

    /** {@code ==> [3/7] converge}, or {@code ==> converge} for a step the plan did not declare. */
    @Override
    public synchronized void step(String name) {
        int n = numbers.number(name);
        out.println(masker.mask("==> " + (n > 0 ? "[" + n + "/" + numbers.total() + "] " : "") + name));
        out.flush();
    }

    @Override
    public synchronized void progress(String message) {
        for (String line : message.split("\n", -1)) {
            out.println(masker.mask("    " + line));
        }
        out.flush();
    }

    @Override
    public synchronized void warn(String message) {
        out.println(masker.mask("warning: " + message));
        out.flush();
    }

    /** The last line of every run: plugin, outcome, exit code, time, and the one plain sentence. */
    public synchronized void summary(String outcome, int exitCode, Duration took, String sentence) {
        out.println(masker.mask(plugin + ": " + outcome + " (exit " + exitCode + ", " + seconds(took) + "): " + sentence));
        out.flush();
    }

    public synchronized void plain(String text) {
        out.print(masker.mask(text));
        out.flush();
    }

    public static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
    }
}
