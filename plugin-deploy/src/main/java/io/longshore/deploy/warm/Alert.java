package io.longshore.deploy.warm;

import io.longshore.kit.output.Report;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * What an operator must hear about: a hold, a rollback, a failure. Written as one JSON file into
 * {@code alert_dir} (for whatever relays alerts) and carried in the JSON report.
 */
public record Alert(String app, String reason, String message, String current, String latest, String lastGood, Boolean recovered,
                    String notes, Instant time) {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /** Writes {@code <time>-<app>-<reason>.json} into {@code dir} (atomically); returns its path. */
    public Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(STAMP.format(time) + "-" + app + "-" + reason + ".json");
        Path tmp = Files.createTempFile(dir, ".alert-", ".json");
        Files.write(tmp, Report.json().writeValueAsBytes(this));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return file;
    }
}
