package io.longshore.deploy.plan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;

/**
 * The sample recipe (samples/recipes/web) in a git repository with two releases, as the demo
 * builds it: 1.0.0+1.0, then 1.1.0+1.1 whose index page changed. Returns the recipe's directory.
 */
final class SampleReleases {
    static final Path SAMPLE = Path.of("..", "samples", "recipes", "web").toAbsolutePath().normalize();

    private SampleReleases() {}

    static Path repository(Path dir) throws IOException, GitAPIException {
        Path recipe = dir.resolve("repo/recipes/web");
        copy(SAMPLE, recipe);
        try (Git git = Git.init().setDirectory(dir.resolve("repo").toFile()).setInitialBranch("main").call()) {
            commit(git, "1.0.0+1.0");
            Files.writeString(recipe.resolve("www/index.html"), "<h1>longshore sample, release 1.1</h1>\n");
            commit(git, "1.1.0+1.1");
        }
        return recipe;
    }

    private static void commit(Git git, String tag) throws GitAPIException {
        git.add().addFilepattern(".").call();
        git.commit().setMessage("web " + tag).setAuthor("t", "t@example.invalid").setCommitter("t", "t@example.invalid").setSign(false).call();
        git.tag().setName(tag).setAnnotated(false).call();
    }

    static void copy(Path from, Path to) throws IOException {
        try (var walk = Files.walk(from)) {
            for (Path p : walk.sorted(Comparator.naturalOrder()).toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
