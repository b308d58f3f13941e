package io.longshore.deploy.warm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** A recipe's release notes for one version, where Co-op Cloud recipes keep them. */
public final class ReleaseNotes {
    private ReleaseNotes() {}

    /** {@code release/<v>}, {@code releaseNotes/<v>.md} or {@code releaseNotes/<v>} in the recipe's tree. */
    public static Optional<String> of(Path recipe, String version) {
        for (Path p : List.of(recipe.resolve("release").resolve(version), recipe.resolve("releaseNotes").resolve(version + ".md"),
                recipe.resolve("releaseNotes").resolve(version))) {
            if (Files.isRegularFile(p)) {
                try {
                    return Optional.of(Files.readString(p));
                } catch (IOException e) {
                    return Optional.of("(the notes at " + p + " cannot be read: " + e.getMessage() + ")");
                }
            }
        }
        return Optional.empty();
    }
}
