package io.longshore.deploy.health;

import java.util.ArrayList;
import java.util.List;

/** Accepted HTTP statuses: {@code 200-399}, {@code 200,204}, {@code 200-299,401}. */
public record StatusRanges(List<int[]> ranges, String text) {
    public static StatusRanges parse(String text) {
        List<int[]> ranges = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            int dash = p.indexOf('-');
            int lo = Integer.parseInt((dash < 0 ? p : p.substring(0, dash)).strip());
            int hi = dash < 0 ? lo : Integer.parseInt(p.substring(dash + 1).strip());
            if (lo < 100 || hi > 599 || lo > hi) {
                throw new IllegalArgumentException("'" + p + "' is not an HTTP status or range");
            }
            ranges.add(new int[] {lo, hi});
        }
        if (ranges.isEmpty()) {
            throw new IllegalArgumentException("no status given");
        }
        return new StatusRanges(List.copyOf(ranges), text);
    }

    public boolean accepts(int status) {
        return ranges.stream().anyMatch(r -> status >= r[0] && status <= r[1]);
    }

    @Override
    public String toString() {
        return text;
    }
}
