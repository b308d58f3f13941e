package io.longshore.deploy;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The corpus of real Co-op Cloud recipes ({@code shared/corpus/recipes}, read-only): at
 * {@code ../shared/corpus/recipes} from the repository's root in CI, found here by looking in
 * {@code shared/corpus/recipes} of each directory above the module (so a worktree deeper down finds
 * it too), or named by {@code -Dlongshore.corpus=<dir>}. Without it tests are skipped, and with
 * {@code CI=true} they fail: a missing corpus is never a silent pass.
 */
public final class Corpus {
    private Corpus() {}

    public static Path dir() {
        String given = System.getProperty("longshore.corpus");
        if (given != null && !given.isBlank()) {
            return exists(Path.of(given).toAbsolutePath().normalize());
        }
        for (Path p = Path.of("").toAbsolutePath().getParent(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared/corpus/recipes");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return exists(Path.of("..", "..", "shared", "corpus", "recipes").toAbsolutePath().normalize());
    }

    /** One recipe of the corpus by its directory name. */
    public static Path recipe(String name) {
        return exists(dir().resolve(name));
    }

    /** Every recipe of the corpus, by name. */
    public static List<String> recipes() {
        try (Stream<Path> s = Files.list(dir())) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A writable copy of {@code recipe} in {@code into} (the corpus is read-only). */
    public static Path copy(String recipe, Path into) {
        Path from = recipe(recipe);
        Path to = into.resolve(recipe);
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                    target.toFile().setWritable(true, true);
                }
            }
            to.toFile().setWritable(true, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return to;
    }

    private static Path exists(Path p) {
        if (!Files.isDirectory(p)) {
            String why = "the recipe corpus is not at " + p + " (shared/corpus/recipes beside the repository, or -Dlongshore.corpus=<dir>)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(why);
            }
            Assumptions.abort(why);
        }
        return p;
    }
}
