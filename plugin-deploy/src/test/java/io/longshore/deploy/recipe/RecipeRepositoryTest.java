package io.longshore.deploy.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecipeRepositoryTest {
    @TempDir
    Path dir;

    Git repoWithReleases() throws Exception {
        Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
        Path recipe = dir.resolve("recipes/web");
        Files.createDirectories(recipe);
        commit(git, recipe, "v1", "1.0.0+1.0");
        commit(git, recipe, "v2", "1.1.0+1.1");
        commit(git, recipe, "v3", null);
        return git;
    }

    void commit(Git git, Path recipe, String content, String tag) throws Exception {
        Files.writeString(recipe.resolve("compose.yml"), "# " + content + "\n");
        git.add().addFilepattern(".").call();
        git.commit().setMessage(content).setAuthor("t", "t@example.invalid").setCommitter("t", "t@example.invalid").setSign(false).call();
        if (tag != null) {
            git.tag().setName(tag).setAnnotated(true).setMessage(tag).setSigned(false).call();
        }
    }

    @Test
    void previousIsTheHighestReleaseBelowAnUntaggedWorkspace() throws Exception {
        try (Git git = repoWithReleases(); RecipeRepository repo = RecipeRepository.open(dir.resolve("recipes/web"))) {
            assertEquals("1.1.0+1.1", repo.upgradeSource("previous").orElseThrow().tag());
        }
    }

    @Test
    void previousIsTheReleaseBelowTheOneTheWorkspaceIsAt() throws Exception {
        try (Git git = repoWithReleases()) {
            git.tag().setName("1.2.0+1.2").setAnnotated(false).call();
            try (RecipeRepository repo = RecipeRepository.open(dir.resolve("recipes/web"))) {
                assertEquals("1.1.0+1.1", repo.upgradeSource("previous").orElseThrow().tag());
            }
        }
    }

    @Test
    void aRecipeWithoutEarlierReleasesHasNoUpgradeSource() throws Exception {
        try (Git git = Git.init().setDirectory(dir.toFile()).call()) {
            commit(git, dir, "only", "0.1.0");
            try (RecipeRepository repo = RecipeRepository.open(dir)) {
                assertTrue(repo.upgradeSource("previous").isEmpty());
            }
        }
    }

    @Test
    void checksOutTheRecipeSubdirectoryAsItWasAtTheTag() throws Exception {
        try (Git git = repoWithReleases(); RecipeRepository repo = RecipeRepository.open(dir.resolve("recipes/web"))) {
            Path out = repo.checkout("1.0.0+1.0", dir.resolve("recipes/web"), Files.createTempDirectory("old"));
            assertEquals("# v1\n", Files.readString(out.resolve("compose.yml")));
        }
    }

    @Test
    void anUnknownTagFailsTheStageWithItsName() throws Exception {
        try (Git git = repoWithReleases(); RecipeRepository repo = RecipeRepository.open(dir.resolve("recipes/web"))) {
            var e = assertThrows(UpgradeSourceException.class, () -> repo.upgradeSource("9.9.9"));
            assertTrue(e.failsStage());
            assertTrue(e.getMessage().contains("'9.9.9' is not a tag"), e.getMessage());
        }
    }

    @Test
    void aShallowCloneWithoutTagsSaysHowToFetchThem() throws Exception {
        try (Git git = Git.init().setDirectory(dir.toFile()).call()) {
            commit(git, dir, "x", null);
            Files.writeString(dir.resolve(".git/shallow"), git.getRepository().resolve("HEAD").name() + "\n");
            try (RecipeRepository repo = RecipeRepository.open(dir)) {
                var e = assertThrows(UpgradeSourceException.class, () -> repo.upgradeSource("previous"));
                assertTrue(e.getMessage().contains("shallow clone without tags"), e.getMessage());
                assertTrue(e.getMessage().contains("git fetch --tags"), e.getMessage());
            }
        }
    }

    @Test
    void aDirectoryOutsideGitIsNotAnUpgradeSource(@TempDir Path plain) {
        var e = assertThrows(UpgradeSourceException.class, () -> RecipeRepository.open(plain));
        assertFalse(e.failsStage());
    }
}
