package io.longshore.verify.probe;

import java.util.Locale;

/**
 * The probe's result in the Prometheus text exposition format (0.0.4). Alert rules such as
 * "integrity failure" ({@code longshore_registry_broken_tags > 0}), "probe stale"
 * ({@code time() - longshore_registry_probe_last_run_timestamp_seconds > 3600}) and "catalog
 * inaccessible" ({@code longshore_registry_catalog_accessible == 0}) are built on these.
 */
public final class Metrics {
    private Metrics() {}

    public static String render(ProbeResult r) {
        StringBuilder sb = new StringBuilder();
        String reg = "registry=\"" + escape(r.registry()) + "\"";
        gauge(sb, "longshore_registry_probe_success", "1 if the catalog was readable and every checked tag is intact.", reg, r.success() ? 1 : 0);
        gauge(sb, "longshore_registry_probe_last_run_timestamp_seconds", "When the probe last finished (Unix time).", reg,
                r.finishedAt().toEpochMilli() / 1000.0);
        gauge(sb, "longshore_registry_catalog_accessible", "1 if the registry's catalog could be listed.", reg, r.catalogAccessible() ? 1 : 0);
        gauge(sb, "longshore_registry_repositories_checked", "Repositories walked by the probe.", reg, r.repositories().size());
        gauge(sb, "longshore_registry_tags_checked", "Tags walked by the probe.", reg, r.tagsChecked());
        header(sb, "longshore_registry_broken_tags", "Tags with a missing, mismatched or unreadable manifest or blob, per repository.");
        for (ProbeResult.RepositoryResult repo : r.repositories()) {
            sample(sb, "longshore_registry_broken_tags", reg + ",repository=\"" + escape(repo.repository()) + "\"", repo.brokenTags());
        }
        gauge(sb, "longshore_registry_missing_blobs", "Distinct blobs that are missing, truncated or corrupt.", reg, r.missingBlobs());
        gauge(sb, "longshore_registry_probe_duration_seconds", "How long the probe took.", reg, r.took().toMillis() / 1000.0);
        return sb.toString();
    }

    private static void gauge(StringBuilder sb, String name, String help, String labels, double value) {
        header(sb, name, help);
        sample(sb, name, labels, value);
    }

    private static void header(StringBuilder sb, String name, String help) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(" gauge\n");
    }

    private static void sample(StringBuilder sb, String name, String labels, double value) {
        sb.append(name).append('{').append(labels).append("} ");
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            sb.append((long) value);
        } else {
            sb.append(String.format(Locale.ROOT, "%.3f", value));
        }
        sb.append('\n');
    }

    static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
