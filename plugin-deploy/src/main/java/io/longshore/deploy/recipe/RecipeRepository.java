package io.longshore.deploy.recipe;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilter;

/**
 * The recipe's git repository, read with JGit (no git binary): its release tags, which one the
 * upgrade stage starts from, and the recipe's files as they were at that tag.
 */
public final class RecipeRepository implements AutoCloseable {
    private final Repository repo;
    private final Path workTree;

    private RecipeRepository(Repository repo) {
        this.repo = repo;
        this.workTree = repo.getWorkTree().toPath().toAbsolutePath().normalize();
    }

    /** The repository that holds {@code recipeDir}, found by walking up from it. */
    public static RecipeRepository open(Path recipeDir) throws UpgradeSourceException {
        FileRepositoryBuilder b = new FileRepositoryBuilder().readEnvironment().findGitDir(recipeDir.toAbsolutePath().toFile());
        if (b.getGitDir() == null) {
            throw new UpgradeSourceException(recipeDir + " is not inside a git repository, so there are no releases to upgrade from; "
                    + "check out the recipe's repository (with its tags) in the workspace", false);
        }
        try {
            return new RecipeRepository(b.setMustExist(true).build());
        } catch (IOException e) {
            throw new UpgradeSourceException("cannot read the git repository at " + b.getGitDir() + ": " + e.getMessage(), false);
        }
    }

    public boolean shallow() {
        return Files.exists(repo.getDirectory().toPath().resolve("shallow"));
    }

    /** Every version tag, lowest first. */
    public List<RecipeVersion> versions() throws IOException {
        List<RecipeVersion> out = new ArrayList<>();
        for (Ref ref : repo.getRefDatabase().getRefsByPrefix(Constants.R_TAGS)) {
            RecipeVersion v = RecipeVersion.parse(ref.getName().substring(Constants.R_TAGS.length()));
            if (v != null) {
                out.add(v);
            }
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    /** The version tags on HEAD's commit, highest first (the release the workspace is at, if any). */
    public List<RecipeVersion> versionsAtHead() throws IOException {
        ObjectId head = repo.resolve(Constants.HEAD + "^{commit}");
        List<RecipeVersion> out = new ArrayList<>();
        if (head == null) {
            return out;
        }
        for (RecipeVersion v : versions()) {
            if (head.equals(commitOf(v.tag()))) {
                out.add(v);
            }
        }
        out.sort(Comparator.reverseOrder());
        return out;
    }

    /**
     * The release to upgrade from: {@code from} itself when it names a tag, or for {@code previous}
     * the highest version below the workspace's own (HEAD's tag; when HEAD has none, the highest
     * tag not on HEAD). Empty when there is none (the stage is skipped, not failed).
     */
    public Optional<RecipeVersion> upgradeSource(String from) throws IOException, UpgradeSourceException {
        List<RecipeVersion> all = versions();
        if (!"previous".equals(from)) {
            if (repo.exactRef(Constants.R_TAGS + from) == null) {
                throw new UpgradeSourceException("upgrade_from '" + from + "' is not a tag of the recipe's repository"
                        + hintWhenShallow(all), true);
            }
            RecipeVersion v = RecipeVersion.parse(from);
            return Optional.of(v != null ? v : new RecipeVersion(from, 0, 0, 0, null, null));
        }
        if (all.isEmpty() && shallow()) {
            throw new UpgradeSourceException("the recipe's repository is a shallow clone without tags, so the previous release "
                    + "cannot be found; fetch the tags (git fetch --tags --unshallow, or in the CI's clone step: Woodpecker "
                    + "'clone: git: settings: {tags: true, depth: 0}', Drone 'clone: {tags: true}')", true);
        }
        List<RecipeVersion> atHead = versionsAtHead();
        ObjectId head = repo.resolve(Constants.HEAD + "^{commit}");
        Optional<RecipeVersion> current = atHead.stream().findFirst();
        RecipeVersion best = null;
        for (RecipeVersion v : all) {
            boolean below = current.map(c -> v.compareTo(c) < 0).orElse(head == null || !head.equals(commitOf(v.tag())));
            if (below && (best == null || v.compareTo(best) > 0)) {
                best = v;
            }
        }
        return Optional.ofNullable(best);
    }

    private String hintWhenShallow(List<RecipeVersion> all) {
        return all.isEmpty() && shallow() ? " (the clone is shallow and has no tags: fetch them with git fetch --tags)" : "";
    }

    private ObjectId commitOf(String tag) throws IOException {
        return repo.resolve(Constants.R_TAGS + tag + "^{commit}");
    }

    /**
     * Writes the files under {@code recipeDir} as they were at {@code tag} into {@code target}
     * (the recipe's own subdirectory when the repository holds more than the recipe).
     */
    public Path checkout(String tag, Path recipeDir, Path target) throws IOException {
        Path rel = workTree.relativize(recipeDir.toAbsolutePath().normalize());
        String prefix = rel.toString().replace('\\', '/');
        try (RevWalk walk = new RevWalk(repo)) {
            RevCommit commit = walk.parseCommit(commitOf(tag));
            try (TreeWalk tw = new TreeWalk(repo)) {
                tw.addTree(commit.getTree());
                tw.setRecursive(true);
                if (!prefix.isEmpty()) {
                    tw.setFilter(PathFilter.create(prefix));
                }
                while (tw.next()) {
                    if (tw.getFileMode(0) == FileMode.GITLINK || tw.getFileMode(0) == FileMode.SYMLINK) {
                        continue;
                    }
                    String path = tw.getPathString();
                    String inRecipe = prefix.isEmpty() ? path : path.substring(prefix.length() + 1);
                    Path out = target.resolve(inRecipe).normalize();
                    if (!out.startsWith(target)) {
                        continue; // never write outside the target, whatever the tree says
                    }
                    Files.createDirectories(out.getParent());
                    ObjectLoader blob = repo.open(tw.getObjectId(0));
                    try (InputStream in = blob.openStream()) {
                        Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                    }
                    if (tw.getFileMode(0) == FileMode.EXECUTABLE_FILE) {
                        out.toFile().setExecutable(true);
                    }
                }
            }
        }
        return target;
    }

    @Override
    public void close() {
        repo.close();
    }
}
