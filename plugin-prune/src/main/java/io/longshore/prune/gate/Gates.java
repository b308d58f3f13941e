package io.longshore.prune.gate;

import io.longshore.kit.engine.model.Service;
import io.longshore.kit.engine.model.Task;
import io.longshore.kit.settings.DataSize;
import io.longshore.kit.stack.RunLabels;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The pure gates: each takes what was read from the host and says open or closed, with numbers. */
public final class Gates {
    /** Update states in which swarm is still rolling tasks. */
    static final Set<String> UPDATING = Set.of("updating", "rollback_started");

    private Gates() {}

    public static GateResult disk(DiskUsage usage, int threshold, boolean force) {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("path", usage.path().toString());
        n.put("usedPercent", Math.round(usage.percent() * 10) / 10.0);
        n.put("thresholdPercent", threshold);
        n.put("usedBytes", usage.usedBytes());
        n.put("availableBytes", usage.availableBytes());
        String numbers = String.format(Locale.ROOT, "%s is %.1f%% full (%s used, %s free), threshold %d%%",
                usage.path(), usage.percent(), DataSize.human(usage.usedBytes()), DataSize.human(usage.availableBytes()), threshold);
        if (force) {
            return GateResult.open("disk", numbers + "; skipped by force", n);
        }
        return usage.percent() >= threshold
                ? GateResult.open("disk", numbers, n)
                : GateResult.closed("disk", numbers + ": no disk pressure, the image cache stays", n);
    }

    public static GateResult liveRuns(List<Service> services, List<String> ignoreStacks) {
        List<PathMatcher> ignore = ignoreStacks.stream().map(g -> FileSystems.getDefault().getPathMatcher("glob:" + g)).toList();
        Set<String> live = new TreeSet<>();
        Set<String> ignored = new TreeSet<>();
        for (Service s : services) {
            String stack = stackOf(s);
            if (stack == null) {
                continue;
            }
            if (ignore.stream().anyMatch(m -> m.matches(Path.of(stack)))) {
                ignored.add(stack);
            } else {
                live.add(stack);
            }
        }
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("liveStacks", List.copyOf(live));
        n.put("ignoredStacks", List.copyOf(ignored));
        if (!live.isEmpty()) {
            return GateResult.closed("live-runs", live.size() + " run(s) live: " + String.join(", ", live)
                    + "; never prune mid-run", n);
        }
        return GateResult.open("live-runs", "no live run" + (ignored.isEmpty() ? "" : " (ignoring " + String.join(", ", ignored) + ")"), n);
    }

    public static GateResult converging(List<Service> services, List<Task> tasks) {
        Map<String, String> names = new LinkedHashMap<>();
        services.forEach(s -> names.put(s.id(), s.name()));
        List<String> why = new ArrayList<>();
        int inFlight = 0;
        Set<String> inFlightServices = new TreeSet<>();
        for (Task t : tasks) {
            // A task whose service is gone can never start (swarm keeps such job tasks around): not in flight.
            if (!names.containsKey(t.serviceId())) {
                continue;
            }
            // neither running nor finished: a deploy or a pull is in flight
            if (t.state().early() && !t.desiredShutdown()) {
                inFlight++;
                inFlightServices.add(names.getOrDefault(t.serviceId(), t.serviceId()) + " (" + t.state() + ")");
            }
        }
        if (inFlight > 0) {
            why.add(inFlight + " task(s) starting: " + String.join(", ", inFlightServices));
        }
        List<String> updating = services.stream().filter(s -> s.update().state() != null && UPDATING.contains(s.update().state()))
                .map(s -> s.name() + " (" + s.update().state() + ")").sorted().toList();
        if (!updating.isEmpty()) {
            why.add(updating.size() + " service(s) updating: " + String.join(", ", updating));
        }
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("tasksInFlight", inFlight);
        n.put("servicesUpdating", updating.size());
        return why.isEmpty()
                ? GateResult.open("converging", "no service converging (" + services.size() + " services, " + tasks.size() + " tasks)", n)
                : GateResult.closed("converging", String.join("; ", why) + "; a deploy or pull is in flight", n);
    }

    static String stackOf(Service s) {
        Map<String, String> l = s.labels() == null ? Map.of() : s.labels();
        String run = l.get(RunLabels.RUN);
        return run != null ? run : l.get(RunLabels.STACK_NAMESPACE);
    }
}
