package io.longshore.kit.stack;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One longshore run as the janitor sees it, from the labels of its objects: the earliest
 * {@code created}, the latest {@code expires} (a run is reapable only when all of it has expired),
 * the owner. {@code expires} is null when no object carries a readable expiry.
 */
public record RunSummary(String stack, Instant created, Instant expires, String owner, int objects,
                         boolean unreadableExpiry) {

    /** Groups objects carrying {@code io.longshore.run} by its value; sorted by stack name. */
    public static List<RunSummary> group(Collection<RunObject> everything) {
        Map<String, List<RunObject>> byRun = new TreeMap<>();
        for (RunObject o : everything) {
            String run = o.label(RunLabels.RUN);
            if (run != null && !run.isBlank()) {
                byRun.computeIfAbsent(run, k -> new ArrayList<>()).add(o);
            }
        }
        List<RunSummary> out = new ArrayList<>();
        byRun.forEach((stack, objs) -> out.add(of(stack, objs)));
        return out;
    }

    static RunSummary of(String stack, List<RunObject> objs) {
        Instant created = null;
        Instant expires = null;
        String owner = null;
        boolean unreadable = false;
        for (RunObject o : objs) {
            Instant c = RunFinder.parseTime(o.label(RunLabels.CREATED));
            if (c != null && (created == null || c.isBefore(created))) {
                created = c;
            }
            String rawExpiry = o.label(RunLabels.EXPIRES);
            Instant e = RunFinder.parseTime(rawExpiry);
            if (rawExpiry != null && e == null) {
                unreadable = true;
            }
            if (e != null && (expires == null || e.isAfter(expires))) {
                expires = e;
            }
            if (owner == null) {
                owner = o.label(RunLabels.OWNER);
            }
        }
        return new RunSummary(stack, created, expires, owner, objs.size(), unreadable);
    }

    /** For reports. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("stack", stack);
        m.put("created", created == null ? null : created.toString());
        m.put("expires", expires == null ? null : expires.toString());
        m.put("owner", owner);
        m.put("objects", objects);
        return m;
    }
}
