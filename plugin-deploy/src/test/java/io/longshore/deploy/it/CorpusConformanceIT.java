package io.longshore.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.longshore.deploy.Corpus;
import io.longshore.deploy.apply.ApplyException;
import io.longshore.deploy.apply.StackApplier;
import io.longshore.deploy.compose.ComposeProject;
import io.longshore.deploy.compose.StackCheck;
import io.longshore.deploy.convert.DeployPlan;
import io.longshore.deploy.convert.StackConverter;
import io.longshore.deploy.recipe.OptionalOverlay;
import io.longshore.deploy.recipe.Recipe;
import io.longshore.deploy.recipe.RecipeException;
import io.longshore.kit.engine.EngineApiException;
import io.longshore.kit.output.Events;
import io.longshore.kit.output.Masker;
import io.longshore.kit.stack.RunLabels;
import io.longshore.testenv.TestEnv;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every recipe of the corpus of real Co-op Cloud recipes, as published and with each of its
 * optional overlays enabled (its commented {@code COMPOSE_FILE} line and the settings after it
 * uncommented, as an operator picks one), deploys to the same services, networks, configs and
 * secrets as {@code docker stack deploy --resolve-image never} of the same files with the
 * operator's env (env file, abra.sh exports, {@code STACK_NAME}, {@code DOMAIN}) under another
 * stack name, compared as {@link StackSpecs} normalises them. A set the CLI refuses must be
 * refused by longshore too, before anything is created. Deploy is planned and applied as the run
 * does it (recipe, checks, conversion, applier) but never waits for convergence: images are not
 * pulled, only specs compared. Sets deploy side by side in rounds (two stacks that publish the
 * same port cannot coexist) and each round is removed before the next.
 */
class CorpusConformanceIT extends EngineStacksTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Deployments on the engine at once: bounds the tasks the engine tries (and fails) to start. */
    private static final int ROUND = 16;
    private static final int PARALLEL = 8;

    @TempDir
    Path tmp;

    /** One recipe with one env file: as published ({@code overlay} null) or with one optional overlay enabled. */
    record Case(String recipe, Path dir, String envFile, OptionalOverlay overlay) {
        String name() {
            return recipe + (overlay == null ? "" : " + " + String.join(":", overlay.composeFiles()));
        }
    }

    /** One deploy of a case: by longshore, or by the CLI. */
    static final class Side {
        final Case c;
        final boolean ours;
        final String stack = TestStacks.uniqueStack();
        Recipe recipe;
        DeployPlan plan;
        Set<Integer> publishedPorts = Set.of();
        Set<String> externalNetworks = Set.of();
        String refused;
        Map<String, Map<String, JsonNode>> specs;
        long deployMillis;

        Side(Case c, boolean ours) {
            this.c = c;
            this.ours = ours;
        }
    }

    enum Verdict { EQUAL, BOTH_REFUSED, DIFFERENT, ONLY_LONGSHORE_REFUSED, ONLY_CLI_REFUSED }

    @Test
    void everyCorpusRecipeAndOverlaySetTheCliAcceptsDeploysToTheSpecsTheCliMakes() throws Exception {
        Instant start = Instant.now();
        List<Case> cases = cases();
        assertTrue(cases.size() > Corpus.recipes().size(), "the corpus has optional overlays");
        List<Side> sides = new ArrayList<>();
        for (Case c : cases) {
            sides.add(plan(new Side(c, true)));
            sides.add(load(new Side(c, false)));
        }
        List<String> createdNetworks = externalNetworks(sides);
        List<List<Side>> rounds = rounds(sides);
        long[] phases = new long[3];
        try (ExecutorService pool = Executors.newFixedThreadPool(PARALLEL); ExecutorService cleaner = Executors.newFixedThreadPool(PARALLEL)) {
            List<Future<?>> removals = new ArrayList<>();
            try {
                for (List<Side> round : rounds) {
                    round.forEach(s -> stacks.add(s.stack));
                    try {
                        phases[0] += timed(() -> run(pool, round, this::deploy));
                        phases[1] += timed(() -> run(pool, round, this::snapshot));
                    } finally {
                        // the services go now (so the next round may publish their ports); the rest of
                        // each stack is torn down alongside the next rounds
                        phases[2] += timed(() -> run(pool, round, s -> removeServices(s.stack)));
                        round.forEach(s -> removals.add(cleaner.submit(() -> {
                            TestStacks.removeAll(engine, s.stack);
                            stacks.remove(s.stack);
                            return null;
                        })));
                    }
                }
            } finally {
                for (Future<?> f : removals) {
                    f.get(5, TimeUnit.MINUTES);
                }
            }
        } finally {
            createdNetworks.forEach(n -> engine.delete("/networks/" + n));
        }
        Duration took = Duration.between(start, Instant.now());

        List<String> report = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        int recipes = 0;
        int recipesEqual = 0;
        int sets = 0;
        int setsEqual = 0;
        int setsCliRefused = 0;
        for (int i = 0; i < sides.size(); i += 2) {
            Side ours = sides.get(i);
            Side cli = sides.get(i + 1);
            Verdict v = verdict(ours, cli);
            String detail = switch (v) {
                case EQUAL -> "";
                case BOTH_REFUSED -> " — docker stack deploy: " + cli.refused + " — longshore: " + ours.refused;
                case DIFFERENT -> " — " + String.join("; ", differences(ours, cli));
                case ONLY_LONGSHORE_REFUSED -> " — longshore: " + ours.refused;
                case ONLY_CLI_REFUSED -> " — docker stack deploy: " + cli.refused;
            };
            report.add(v + "  " + ours.c.name() + detail);
            if (v != Verdict.EQUAL && v != Verdict.BOTH_REFUSED) {
                failures.add(v + " " + ours.c.name() + detail);
            }
            if (ours.c.overlay == null) {
                recipes++;
                recipesEqual += v == Verdict.EQUAL ? 1 : 0;
            } else {
                sets++;
                setsEqual += v == Verdict.EQUAL ? 1 : 0;
                setsCliRefused += cli.refused != null ? 1 : 0;
            }
        }
        report.add("recipes " + recipesEqual + "/" + recipes + " equal; optional overlay sets " + setsEqual + "/" + (sets - setsCliRefused)
                + " equal of those docker stack deploy accepts (" + setsCliRefused + " of " + sets + " it refuses);"
                + " " + sides.size() + " stacks in " + rounds.size() + " rounds, " + took.toSeconds() + " s (deploys "
                + phases[0] / 1000 + " s: longshore " + sides.stream().filter(x -> x.ours).mapToLong(x -> x.deployMillis).sum() / 1000
                + " s and the CLI " + sides.stream().filter(x -> !x.ours).mapToLong(x -> x.deployMillis).sum() / 1000
                + " s of work, inspection " + phases[1] / 1000 + " s, service removal " + phases[2] / 1000 + " s)");
        String text = String.join("\n", report);
        System.out.println(text);
        Files.writeString(Path.of("target", "corpus-conformance.txt"), text + "\n");
        assertTrue(failures.isEmpty(), String.join("\n", failures) + "\n\n" + text);
        assertEquals(Corpus.recipes().size(), recipes);
    }

    /** Each corpus recipe (a writable copy) as published, then with each of its optional overlays. */
    private List<Case> cases() throws Exception {
        List<Case> out = new ArrayList<>();
        for (String name : Corpus.recipes()) {
            Path dir = Corpus.copy(name, tmp);
            String envFile = Files.isRegularFile(dir.resolve(".env.sample")) || !Files.isRegularFile(dir.resolve("deploy/.env.sample"))
                    ? ".env.sample" : "deploy/.env.sample";
            out.add(new Case(name, dir, envFile, null));
            if (!Files.isRegularFile(dir.resolve(envFile))) {
                continue;
            }
            String text = Files.readString(dir.resolve(envFile));
            for (OptionalOverlay o : OptionalOverlay.find(envFile, text, Map.of())) {
                Path enabled = dir.resolve(envFile).resolveSibling(".env.overlay-" + o.line());
                Files.writeString(enabled, o.enable(text));
                out.add(new Case(name, dir, dir.relativize(enabled).toString(), o));
            }
        }
        return out;
    }

    /** Longshore's side, planned as the run plans it; a refusal is kept, not thrown. */
    private Side plan(Side s) {
        try {
            s.recipe = Recipe.load(s.c.dir, s.c.envFile, Map.of(), null, s.stack, null, new SecureRandom());
            ComposeProject project = ComposeProject.load(s.recipe.composeFiles(), s.recipe.env());
            StackCheck.check(project, s.stack, s.recipe.env());
            Instant now = Instant.now();
            s.plan = StackConverter.convert(project.model(), s.stack, RunLabels.of(s.stack, now, now.plus(Duration.ofMinutes(30)), null),
                    s.recipe.env(), s.recipe.generatedSecrets());
            s.publishedPorts = publishedPorts(project.model());
        } catch (RecipeException | IllegalArgumentException e) {
            s.refused = e.getMessage();
        }
        return s;
    }

    /** The CLI's side: the operator's env and files, as the run reads them. */
    private Side load(Side s) {
        s.recipe = Recipe.load(s.c.dir, s.c.envFile, Map.of(), null, s.stack, null, new SecureRandom());
        try {
            ObjectNode model = ComposeProject.load(s.recipe.composeFiles(), s.recipe.env()).model();
            s.publishedPorts = publishedPorts(model);
            Set<String> external = new TreeSet<>();
            model.path("networks").forEach(n -> {
                if (n.path("external").asBoolean(false)) {
                    external.add(n.path("name").asText());
                }
            });
            s.externalNetworks = external;
        } catch (RecipeException | IllegalArgumentException e) {
            // the CLI will say what it thinks of it
        }
        return s;
    }

    /** Published ports, of either mode: swarm refuses a host-mode port another service publishes on ingress. */
    private static Set<Integer> publishedPorts(ObjectNode model) {
        Set<Integer> out = new TreeSet<>();
        model.path("services").forEach(svc -> svc.path("ports").forEach(p -> {
            if (p.hasNonNull("published")) {
                out.add(p.get("published").asInt());
            }
        }));
        return out;
    }

    /** Rounds of at most ROUND deployments whose published ports do not collide, first fit. */
    private static List<List<Side>> rounds(List<Side> sides) {
        List<List<Side>> rounds = new ArrayList<>();
        List<Set<Integer>> ports = new ArrayList<>();
        for (Side s : sides) {
            int r = 0;
            while (r < rounds.size() && (rounds.get(r).size() >= ROUND || s.publishedPorts.stream().anyMatch(ports.get(r)::contains))) {
                r++;
            }
            if (r == rounds.size()) {
                rounds.add(new ArrayList<>());
                ports.add(new LinkedHashSet<>());
            }
            rounds.get(r).add(s);
            ports.get(r).addAll(s.publishedPorts);
        }
        return rounds;
    }

    /** The external networks the recipes join (they must exist for both sides); those it had to create. */
    private List<String> externalNetworks(List<Side> sides) {
        Set<String> names = new TreeSet<>();
        sides.forEach(s -> names.addAll(s.externalNetworks));
        List<String> created = new ArrayList<>();
        for (String n : names) {
            try {
                engine.get("/networks/" + n);
            } catch (EngineApiException e) {
                ObjectNode spec = JSON.createObjectNode().put("Name", n).put("Driver", "overlay").put("Attachable", true);
                spec.putObject("Labels").put("io.longshore.test", "corpus-conformance");
                engine.post("/networks/create", spec);
                created.add(n);
            }
        }
        return created;
    }

    private void deploy(Side s) throws Exception {
        s.deployMillis = timed(() -> deployNow(s));
    }

    private void deployNow(Side s) {
        if (s.refused != null) {
            return;
        }
        if (s.ours) {
            try {
                new StackApplier(engine, Events.none(), new Masker(), s.recipe.env()).create(s.plan);
            } catch (ApplyException e) {
                s.refused = e.getMessage();
                // refused before anything exists: nothing of the run may be left
                assertEquals(List.of(), TestStacks.leftovers(engine, s.stack), s.c.name() + ": " + s.refused);
            } catch (EngineApiException e) {
                s.refused = "the engine refused " + e.getMessage();
            }
            return;
        }
        for (Recipe.GeneratedSecret g : s.recipe.generatedSecrets()) {
            // as abra app secret generate does for the operator; labelled as a run so the cleanup finds them
            ObjectNode spec = JSON.createObjectNode().put("Name", g.name())
                    .put("Data", Base64.getEncoder().encodeToString("oracle".getBytes(StandardCharsets.UTF_8)));
            spec.putObject("Labels").put(RunLabels.RUN, s.stack);
            engine.post("/secrets/create", spec);
        }
        List<String> cmd = new ArrayList<>(List.of(docker(), "-H", TestEnv.dockerHost(), "stack", "deploy", "--resolve-image", "never"));
        for (Path f : s.recipe.composeFiles()) {
            cmd.add("-c");
            cmd.add(f.toString());
        }
        cmd.add(s.stack);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(s.c.dir.toFile()).redirectErrorStream(true);
        // only the operator's env: the CLI interpolates with its whole environment, and abra hands it the app's env
        Map<String, String> env = new HashMap<>(s.recipe.env());
        env.remove("COMPOSE_FILE");
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.environment().put("HOME", tmp.toString());
        try {
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                s.refused = out.strip().lines().reduce((a, b) -> b).orElse("exit " + p.exitValue());
            }
        } catch (Exception e) {
            throw new IllegalStateException(String.join(" ", cmd) + ": " + e.getMessage(), e);
        }
    }

    private void snapshot(Side s) {
        if (s.refused != null) {
            return;
        }
        // a swarm network just created can be listed before the engine fills in its driver
        assertTrue(TestStacks.waitUntil(Duration.ofSeconds(10), () -> {
            for (JsonNode n : engine.get("/networks?filters=" + TestStacks.filter("label", "com.docker.stack.namespace=" + s.stack))) {
                if (n.path("Driver").asText("").isEmpty()) {
                    return false;
                }
            }
            return true;
        }), s.c.name() + ": a network of " + s.stack + " has no driver after 10 s");
        Map<String, Map<String, JsonNode>> specs = new HashMap<>();
        specs.put("services", StackSpecs.services(engine, s.stack));
        for (String kind : List.of("networks", "configs", "secrets")) {
            specs.put(kind, StackSpecs.objects(engine, kind, s.stack));
        }
        if (s.ours) {
            // the CLI side's generated secrets were made by the test, not by the CLI, so it does not list them
            s.recipe.generatedSecrets().forEach(g -> specs.get("secrets").remove(g.name().replace(s.stack, "STACK")));
        }
        s.specs = specs;
    }

    private static Verdict verdict(Side ours, Side cli) {
        if (ours.refused != null || cli.refused != null) {
            return ours.refused != null && cli.refused != null ? Verdict.BOTH_REFUSED
                    : ours.refused != null ? Verdict.ONLY_LONGSHORE_REFUSED : Verdict.ONLY_CLI_REFUSED;
        }
        return ours.specs.equals(cli.specs) ? Verdict.EQUAL : Verdict.DIFFERENT;
    }

    /** The first few JSON pointers where longshore's objects differ from the CLI's. */
    private static List<String> differences(Side ours, Side cli) {
        List<String> out = new ArrayList<>();
        for (String kind : List.of("services", "networks", "configs", "secrets")) {
            Map<String, JsonNode> a = ours.specs.get(kind);
            Map<String, JsonNode> b = cli.specs.get(kind);
            Set<String> names = new TreeSet<>(a.keySet());
            names.addAll(b.keySet());
            for (String n : names) {
                diff(kind + " " + n, a.get(n), b.get(n), out);
            }
        }
        return out.subList(0, Math.min(out.size(), 6));
    }

    private static void diff(String at, JsonNode a, JsonNode b, List<String> out) {
        if (a != null && b != null && a.isObject() && b.isObject()) {
            Set<String> keys = new TreeSet<>();
            a.fieldNames().forEachRemaining(keys::add);
            b.fieldNames().forEachRemaining(keys::add);
            keys.forEach(k -> diff(at + "/" + k, a.get(k), b.get(k), out));
        } else if (a != null && b != null && a.isArray() && b.isArray() && a.size() == b.size()) {
            Iterator<JsonNode> x = a.iterator();
            Iterator<JsonNode> y = b.iterator();
            for (int i = 0; x.hasNext(); i++) {
                diff(at + "/" + i, x.next(), y.next(), out);
            }
        } else if (a == null ? b != null : !a.equals(b)) {
            out.add(at + ": longshore " + a + ", cli " + b);
        }
    }

    private void removeServices(String stack) {
        for (JsonNode svc : engine.get("/services?filters=" + TestStacks.filter("label", "com.docker.stack.namespace=" + stack))) {
            engine.delete("/services/" + svc.path("ID").asText());
        }
    }

    private interface Timed {
        void run() throws Exception;
    }

    /** Milliseconds {@code work} took. */
    private static long timed(Timed work) throws Exception {
        long t = System.nanoTime();
        work.run();
        return (System.nanoTime() - t) / 1_000_000;
    }

    private interface Step {
        void on(Side s) throws Exception;
    }

    private static void run(ExecutorService pool, List<Side> round, Step step) throws Exception {
        List<Future<?>> running = new ArrayList<>();
        for (Side s : round) {
            running.add(pool.submit(() -> {
                step.on(s);
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get(5, TimeUnit.MINUTES);
        }
    }

    /** The docker CLI on the PATH of this JVM (the CLI's own process gets only the operator's env). */
    private static String docker() {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(d, "docker");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return "docker";
    }
}
