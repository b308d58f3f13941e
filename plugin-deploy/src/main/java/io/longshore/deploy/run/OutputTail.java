package io.longshore.deploy.run;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The end of a command's or a stage's output as summaries and reports show it: the last lines, at most {@link #MAX_BYTES}. */
public final class OutputTail {
    public static final int MAX_LINES = 20;
    public static final int MAX_BYTES = 4096;

    private OutputTail() {}

    public static String of(String output) {
        if (output == null || output.isBlank()) {
            return "";
        }
        List<String> lines = new ArrayList<>(Arrays.asList(output.split("\r?\n")));
        while (!lines.isEmpty() && lines.getLast().isBlank()) {
            lines.removeLast();
        }
        return of(lines);
    }

    public static String of(List<String> lines) {
        List<String> last = lines.subList(Math.max(0, lines.size() - MAX_LINES), lines.size());
        String text = String.join("\n", last);
        if (text.length() > MAX_BYTES) {
            // cut at a line start where possible, so the tail does not begin mid-line
            String cut = text.substring(text.length() - MAX_BYTES);
            int nl = cut.indexOf('\n');
            text = nl >= 0 && nl < cut.length() - 1 ? cut.substring(nl + 1) : cut;
        }
        return text;
    }
}
