package io.longshore.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;

/**
 * Test data for upgrades on real releases: a git repository whose history is the corpus's
 * {@code bonfire-1.0.0} (tagged {@link #OLD}) and then {@code bonfire} (tagged {@link #NEW}), as
 * the recipe's own repository has them. The working tree is left at {@link #NEW}.
 */
public final class BonfireReleases {
    public static final String OLD = "1.0.0+1.0.5-social-amd64";
    public static final String NEW = "2.0.1+1.0.6-social-amd64";

    private BonfireReleases() {}

    /** Builds the repository in {@code dir} (created, must be empty or absent) and returns it. */
    public static Path repository(Path dir) {
        try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
            release(git, dir, "bonfire-1.0.0", OLD);
            release(git, dir, "bonfire", NEW);
            return dir;
        } catch (GitAPIException e) {
            throw new IllegalStateException("cannot build the bonfire repository: " + e.getMessage(), e);
        }
    }

    private static void release(Git git, Path dir, String corpusRecipe, String tag) throws GitAPIException {
        clear(dir);
        Path copy = Corpus.copy(corpusRecipe, dir.resolve(".staging"));
        try (Stream<Path> files = Files.list(copy)) {
            for (Path f : files.toList()) {
                Files.move(f, dir.resolve(f.getFileName().toString()));
            }
            clear(dir.resolve(".staging"));
            Files.delete(dir.resolve(".staging"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        git.add().addFilepattern(".").call();
        git.add().addFilepattern(".").setUpdate(true).call();
        git.commit().setMessage("bonfire " + tag).setAuthor("t", "t@example.invalid").setCommitter("t", "t@example.invalid")
                .setSign(false).call();
        git.tag().setName(tag).setAnnotated(false).call();
    }

    /** Removes everything in {@code dir} but the git directory. */
    private static void clear(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            for (Path top : s.filter(p -> !p.getFileName().toString().equals(".git")).toList()) {
                try (Stream<Path> walk = Files.walk(top)) {
                    walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
