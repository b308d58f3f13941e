package io.longshore.deploy.backup;

import com.fasterxml.jackson.databind.JsonNode;
import io.longshore.deploy.convert.DeployPlan;
import io.longshore.kit.settings.ClosestName;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a release's backupbot labels (its services' Swarm labels, compose {@code deploy.labels}
 * after interpolation) into what a backup of it takes: per taking-part service, the volumes with
 * the paths to archive and the four hooks. Pure: the converted plan in, a {@link BackupSelection} out.
 */
public final class BackupLabels {
    public static final String PREFIX = "backupbot.";
    public static final String ENABLED = "backupbot.backup";
    public static final String BACKUP_PRE = "backupbot.backup.pre-hook";
    public static final String BACKUP_POST = "backupbot.backup.post-hook";
    public static final String RESTORE_PRE = "backupbot.restore.pre-hook";
    public static final String RESTORE_POST = "backupbot.restore.post-hook";
    static final String VOLUMES = "backupbot.backup.volumes.";

    private BackupLabels() {}

    public static BackupSelection read(DeployPlan plan) {
        List<ServiceBackup> services = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<String> notArchived = new ArrayList<>();
        for (DeployPlan.ServicePlan s : plan.services()) {
            Map<String, String> labels = labels(s.spec().path("Labels"));
            Map<String, Mount> mounts = mounts(plan.stack(), s.spec());
            warnUnknown(s.shortName(), labels, mounts, warnings);
            if (!"true".equalsIgnoreCase(labels.getOrDefault(ENABLED, "").trim())) {
                mounts.keySet().forEach(k -> notArchived.add(k + " of " + s.shortName() + " (" + s.shortName() + " has no " + ENABLED + "=true)"));
                continue;
            }
            List<VolumeBackup> volumes = new ArrayList<>();
            for (Mount m : mounts.values()) {
                if ("false".equalsIgnoreCase(labels.getOrDefault(VOLUMES + m.key(), "").trim())) {
                    notArchived.add(m.key() + " of " + s.shortName() + " (" + VOLUMES + m.key() + "=false)");
                    continue;
                }
                volumes.add(new VolumeBackup(m.key(), m.volume(), m.target(), paths(labels.get(VOLUMES + m.key() + ".path"))));
            }
            services.add(new ServiceBackup(s.name(), s.shortName(), volumes, new ServiceBackup.Hooks(
                    hook(labels, BACKUP_PRE), hook(labels, BACKUP_POST), hook(labels, RESTORE_PRE), hook(labels, RESTORE_POST))));
        }
        return new BackupSelection(services, notArchived, warnings);
    }

    /** {@code a, /b/c,} → {@code [a, b/c]}; empty means the whole volume. */
    static List<String> paths(String value) {
        if (value == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String p : value.split(",")) {
            String t = p.trim();
            while (t.startsWith("/")) {
                t = t.substring(1);
            }
            while (t.endsWith("/")) {
                t = t.substring(0, t.length() - 1);
            }
            if (!t.isEmpty() && !out.contains(t)) {
                out.add(t);
            }
        }
        return out;
    }

    private static String hook(Map<String, String> labels, String key) {
        String v = labels.get(key);
        return v == null || v.isBlank() ? null : v;
    }

    /** A named volume a service mounts: its compose key, the engine's name, where it is mounted. */
    private record Mount(String key, String volume, String target) {}

    private static Map<String, Mount> mounts(String stack, JsonNode spec) {
        Map<String, Mount> out = new LinkedHashMap<>();
        for (JsonNode m : spec.path("TaskTemplate").path("ContainerSpec").path("Mounts")) {
            String source = m.path("Source").asText("");
            if (!"volume".equals(m.path("Type").asText()) || source.isEmpty()) {
                continue; // a bind mount or an anonymous volume: nothing a restore could find again
            }
            // a volume without its own name is <stack>_<key>; one with a name: keeps it as its key
            String key = source.startsWith(stack + "_") ? source.substring(stack.length() + 1) : source;
            out.putIfAbsent(key, new Mount(key, source, m.path("Target").asText()));
        }
        return out;
    }

    private static Map<String, String> labels(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    /** Every {@code backupbot.*} key that is not one of the convention's, with the closest one that is. */
    private static void warnUnknown(String service, Map<String, String> labels, Map<String, Mount> mounts, List<String> warnings) {
        List<String> known = new ArrayList<>(List.of(ENABLED, BACKUP_PRE, BACKUP_POST, RESTORE_PRE, RESTORE_POST));
        for (String key : mounts.keySet()) {
            known.add(VOLUMES + key);
            known.add(VOLUMES + key + ".path");
        }
        for (String label : labels.keySet()) {
            String lower = label.toLowerCase(Locale.ROOT);
            if (!lower.startsWith(PREFIX) || known.contains(label)) {
                continue;
            }
            Optional<String> closest = closest(lower, known, mounts);
            warnings.add("service " + service + ": the label " + label + " is not a backupbot key"
                    + closest.map(c -> "; did you mean " + c + "?").orElse("; the keys are " + String.join(", ", known.subList(0, 5))
                            + ", " + VOLUMES + "<volume> and " + VOLUMES + "<volume>.path"));
        }
    }

    private static Optional<String> closest(String label, List<String> known, Map<String, Mount> mounts) {
        // older recipes write backupbot.backup.path=...; the convention has it per volume
        if (label.endsWith(".path") && !label.startsWith(VOLUMES)) {
            return Optional.of(VOLUMES + (mounts.isEmpty() ? "<volume>" : mounts.keySet().iterator().next()) + ".path");
        }
        return ClosestName.of(label, known, Math.max(2, label.length() / 4));
    }
}
