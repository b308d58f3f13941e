package io.longshore.deploy.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.longshore.deploy.BonfireReleases;
import io.longshore.deploy.compose.ComposeProject;
import io.longshore.deploy.compose.StackCheck;
import io.longshore.deploy.recipe.Recipe;
import io.longshore.deploy.recipe.RecipeRepository;
import io.longshore.kit.stack.RunLabels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upgrade of a real recipe across two releases ({@link BonfireReleases}): converted as the
 * upgrade stage converts them, the plans differ only in what an in-place update of {@code app}
 * carries (its image and its {@code coop-cloud.<stack>.version} label); nothing is created,
 * re-created under a new name or removed. It compares the two plans itself until deploy has an
 * update planner; then it should assert that planner's output for the same two plans.
 */
class BonfireUpgradePlanTest {
    private static final String STACK = "bonf-0a1b2c";
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path tmp;

    @Test
    void theUpgradeFromTheFirstReleaseUpdatesOnlyTheAppsImageAndVersionLabelInPlace() throws Exception {
        Path repo = BonfireReleases.repository(tmp.resolve("bonfire"));
        Path old = Files.createDirectory(tmp.resolve("old"));
        try (RecipeRepository r = RecipeRepository.open(repo)) {
            String from = r.upgradeSource("previous").orElseThrow().tag();
            assertEquals(BonfireReleases.OLD, from);
            r.checkout(from, repo, old);
        }
        DeployPlan before = plan(old);
        DeployPlan after = plan(repo);

        assertEquals(names(before.services(), DeployPlan.ServicePlan::name), names(after.services(), DeployPlan.ServicePlan::name),
                "services created or removed");
        assertEquals(names(before.networks(), DeployPlan.NetworkPlan::name), names(after.networks(), DeployPlan.NetworkPlan::name));
        assertEquals(names(before.secrets(), DeployPlan.FileObjectPlan::name), names(after.secrets(), DeployPlan.FileObjectPlan::name));
        assertEquals(names(before.configs(), DeployPlan.FileObjectPlan::name), names(after.configs(), DeployPlan.FileObjectPlan::name),
                "a config re-created under a new name");
        for (DeployPlan.FileObjectPlan c : before.configs()) {
            if (c.source() instanceof DeployPlan.DataSource.File f) {
                // the same name must mean the same content, or the update would have to re-create it
                assertEquals(Files.readString(Path.of(f.path())), Files.readString(Path.of(f.path().replace(old.toString(), repo.toString()))),
                        c.name());
            }
        }

        Map<String, List<String>> changed = new TreeMap<>();
        Map<String, JsonNode> was = before.services().stream().collect(Collectors.toMap(DeployPlan.ServicePlan::shortName, s -> s.spec()));
        for (DeployPlan.ServicePlan s : after.services()) {
            List<String> paths = new ArrayList<>();
            differences("", was.get(s.shortName()), s.spec(), paths);
            if (!paths.isEmpty()) {
                changed.put(s.shortName(), paths);
            }
        }
        assertEquals(Map.of("app", List.of("/Labels/com.docker.stack.image", "/Labels/coop-cloud." + STACK + ".version",
                "/TaskTemplate/ContainerSpec/Image")), changed);
        JsonNode app = after.services().stream().filter(s -> s.shortName().equals("app")).findFirst().orElseThrow().spec();
        assertEquals("bonfirenetworks/bonfire:1.0.6-social-amd64", app.path("TaskTemplate").path("ContainerSpec").path("Image").asText());
        assertEquals(BonfireReleases.NEW, app.path("Labels").path("coop-cloud." + STACK + ".version").asText());
        assertEquals("bonfirenetworks/bonfire:1.0.5-social-amd64", was.get("app").path("TaskTemplate").path("ContainerSpec").path("Image").asText());
    }

    @Test
    void theUpdatePlannerUpdatesAppInPlaceAndCreatesReCreatesOrRemovesNothing() throws Exception {
        Path repo = BonfireReleases.repository(tmp.resolve("bonfire"));
        Path old = Files.createDirectory(tmp.resolve("old"));
        try (RecipeRepository r = RecipeRepository.open(repo)) {
            r.checkout(BonfireReleases.OLD, repo, old);
        }
        Recipe oldRecipe = Recipe.load(old, ".env.sample", Map.of(), null, STACK, null, new Random(1));
        Recipe newRecipe = Recipe.load(repo, ".env.sample", Map.of(), null, STACK, null, new Random(1));
        io.longshore.deploy.apply.UpdatePlan update = io.longshore.deploy.apply.UpdatePlanner.plan(
                io.longshore.deploy.apply.LiveStack.projected(plan(old), oldRecipe.env()), plan(repo), newRecipe.env());
        assertEquals(List.of(), update.created());
        assertEquals(List.of(), update.recreatedConfigs());
        assertEquals(List.of(), update.removeServices());
        assertEquals(List.of(STACK + "_app", STACK + "_db"), update.updated());
        Map<String, List<String>> changes = new TreeMap<>();
        update.services().forEach(s -> changes.put(s.target().shortName(),
                ((io.longshore.deploy.apply.UpdatePlan.ServiceChange.Update) s).changes()));
        assertEquals(List.of(), changes.get("db"));
        assertEquals(3, changes.get("app").size(), changes.toString());
        assertTrue(changes.get("app").getFirst().startsWith("image bonfirenetworks/bonfire:1.0.5-social-amd64 →"), changes.toString());
        assertTrue(changes.get("app").stream().anyMatch(c -> c.startsWith("label coop-cloud." + STACK + ".version ")), changes.toString());
    }

    /** The release as the upgrade stage converts it: same run, same labels, generated secrets included. */
    private static DeployPlan plan(Path dir) {
        Recipe r = Recipe.load(dir, ".env.sample", Map.of(), null, STACK, null, new Random(1));
        ComposeProject p = ComposeProject.load(r.composeFiles(), r.env());
        StackCheck.check(p, r.stack(), r.env());
        return StackConverter.convert(p.model(), r.stack(), RunLabels.of(STACK, NOW, NOW.plus(Duration.ofHours(1)), null),
                r.env(), r.generatedSecrets());
    }

    private static <T> TreeSet<String> names(List<T> items, Function<T, String> name) {
        return items.stream().map(name).collect(Collectors.toCollection(TreeSet::new));
    }

    /** JSON pointers of every leaf or member that differs between {@code a} and {@code b}. */
    private static void differences(String at, JsonNode a, JsonNode b, List<String> out) {
        if (a == null || b == null || a.getNodeType() != b.getNodeType() || a.isArray() && a.size() != b.size()) {
            if (a == null ? b != null : !a.equals(b)) {
                out.add(at);
            }
            return;
        }
        if (a.isObject()) {
            TreeSet<String> keys = new TreeSet<>();
            a.fieldNames().forEachRemaining(keys::add);
            b.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                differences(at + "/" + k, a.get(k), b.get(k), out);
            }
        } else if (a.isArray()) {
            Iterator<JsonNode> x = a.iterator();
            Iterator<JsonNode> y = b.iterator();
            for (int i = 0; x.hasNext(); i++) {
                differences(at + "/" + i, x.next(), y.next(), out);
            }
        } else if (!a.equals(b)) {
            out.add(at);
        }
    }
}
