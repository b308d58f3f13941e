package io.longshore.deploy.plan;

import io.longshore.deploy.recipe.Recipe;
import io.longshore.deploy.recipe.RecipeRepository;
import io.longshore.deploy.recipe.RecipeVersion;
import io.longshore.deploy.recipe.UpgradeSourceException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The releases of a recipe on disk: the workspace's directory, and earlier releases checked out of
 * its git repository (with JGit) into temporary directories, which {@link #close()} removes once
 * the run that deploys them is over.
 */
public final class RecipeReleases implements Releases, AutoCloseable {
    private final Path dir;
    private final String envFile;
    private final Map<String, String> env;
    private final List<String> composeFiles;
    private final List<Path> checkouts = new ArrayList<>();
    private final SecureRandom random = new SecureRandom();

    public RecipeReleases(Path dir, String envFile, Map<String, String> env, List<String> composeFiles) {
        this.dir = dir;
        this.envFile = envFile;
        this.env = env;
        this.composeFiles = composeFiles;
    }

    @Override
    public Recipe workspace(String stack, String domain) {
        return Recipe.load(dir, envFile, env, composeFiles, stack, domain, random);
    }

    @Override
    public Optional<RecipeVersion> upgradeSource(String upgradeFrom) throws UpgradeSourceException, IOException {
        try (RecipeRepository repo = RecipeRepository.open(dir)) {
            return repo.upgradeSource(upgradeFrom);
        }
    }

    @Override
    public Recipe at(RecipeVersion release, String stack, String domain) throws UpgradeSourceException, IOException {
        try (RecipeRepository repo = RecipeRepository.open(dir)) {
            Path target = Files.createTempDirectory("longshore-recipe-");
            checkouts.add(target);
            repo.checkout(release.tag(), dir, target);
            return Recipe.load(target, envFile, env, composeFiles, stack, domain, random);
        }
    }

    @Override
    public void close() {
        for (Path p : checkouts) {
            try (var walk = Files.walk(p)) {
                walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                // a temporary directory; the OS cleans it up
            }
        }
        checkouts.clear();
    }
}
