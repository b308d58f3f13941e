package io.longshore.deploy.backup;

import java.util.List;

/** What a backup of one release takes: the taking-part services, and the label problems found on the way. */
/* notArchived: each volume a service mounts that the backup leaves out, and why ({@code db-data of db (db does not take part)}). */
public record BackupSelection(List<ServiceBackup> services, List<String> notArchived, List<String> warnings) {
    public BackupSelection {
        services = List.copyOf(services);
        notArchived = List.copyOf(notArchived);
        warnings = List.copyOf(warnings);
    }

    /** Every volume path this backup archives, as {@code db: db-data (dump.sql)}, for plans and failure messages. */
    public List<String> lines() {
        return services.stream().flatMap(s -> s.volumes().stream().map(v -> s.shortName() + ": " + v.describe())).toList();
    }
}
