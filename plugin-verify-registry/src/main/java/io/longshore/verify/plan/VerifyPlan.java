package io.longshore.verify.plan;

import io.longshore.kit.settings.SettingFormats;
import io.longshore.verify.model.Digest;
import io.longshore.verify.model.Platform;
import io.longshore.verify.registry.Credentials;
import io.longshore.verify.walk.WalkOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What a verify run will do, decided from the settings before any request: which registry and
 * repository, which tags (and where they came from), the digest they must resolve to, how to
 * authenticate, and how to walk. Printed at the start of every run.
 */
public record VerifyPlan(Target target, List<String> tags, String tagsSource, Digest expected, String digestSource,
                         Credentials credentials, List<String> notes, WalkOptions walk, int retries, Duration timeout,
                         boolean insecure, Path caCert) {
    public VerifyPlan {
        tags = List.copyOf(tags);
        notes = List.copyOf(notes);
    }

    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        lines.add("registry " + target.endpoint() + (insecure ? " (insecure: http or unverified TLS allowed)" : "")
                + (caCert != null ? " (extra CA " + caCert + ")" : ""));
        lines.add("repository " + target.repository());
        String shown = tags.size() <= 10 ? String.join(", ", tags) : String.join(", ", tags.subList(0, 10)) + ", ... (" + tags.size() + " in all)";
        lines.add("tags " + shown + " (" + tagsSource + ")");
        if (expected != null) {
            lines.add("must resolve to " + expected + " (" + digestSource + ")");
        }
        lines.add("auth " + (credentials == null ? "anonymous (unless the registry grants anonymous tokens)" : credentials.toString()));
        lines.add("walk " + (walk.deep() ? "deep: GET and hash every blob" : "shallow: HEAD every blob")
                + (walk.platforms().isEmpty() ? ", every index child" : ", platforms " + walk.platforms().stream().map(Platform::toString).collect(Collectors.joining(", ")))
                + (walk.referrers() ? ", with referrers" : "")
                + ", " + walk.concurrency() + " requests in flight, " + retries + " retries, timeout " + SettingFormats.formatDuration(timeout));
        return lines;
    }
}
