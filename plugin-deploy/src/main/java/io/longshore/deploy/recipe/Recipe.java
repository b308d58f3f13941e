package io.longshore.deploy.recipe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A recipe made concrete for one run: its directory, the run (stack) name and domain, the
 * environment compose files are interpolated with, the compose files in merge order, and the
 * secrets {@code secrets: generate} creates.
 */
public record Recipe(Path dir, String stack, String domain, Map<String, String> env, List<Path> composeFiles,
                     List<GeneratedSecret> generatedSecrets, List<String> warnings) {
    private static final Pattern SECRET_VERSION = Pattern.compile("SECRET_(.+)_VERSION");
    /** Length of a generated secret whose env line carries no {@code # length=N}. */
    public static final int DEFAULT_SECRET_LENGTH = 32;
    /** The settings whose values a recipe's errors can refuse besides {@code --recipe}. */
    static final String ENV_FILE = "--env-file";
    static final String COMPOSE_FILES = "--compose-files";

    /** A secret the recipe expects to exist: {@code ${STACK_NAME}_<name>_<version>}, lower case. */
    public record GeneratedSecret(String name, int length, String envKey) {}

    public Recipe {
        env = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(env));
        composeFiles = List.copyOf(composeFiles);
        generatedSecrets = List.copyOf(generatedSecrets);
        warnings = List.copyOf(warnings);
    }

    /**
     * Reads {@code envFile} in {@code dir} with {@code overrides}, {@code STACK_NAME} and
     * {@code DOMAIN} fixed; null {@code stack}, {@code domain} or {@code composeFiles} take their defaults.
     */
    public static Recipe load(Path dir, String envFile, Map<String, String> overrides, List<String> composeFiles,
                              String stack, String domain, RandomGenerator random) {
        Path base = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(base)) {
            throw new RecipeException("the recipe directory " + base + " does not exist");
        }
        String run = stack != null ? stack : defaultStack(base, random);
        String dom = domain != null ? domain : run + ".localhost";
        Map<String, String> fixed = new LinkedHashMap<>(overrides);
        fixed.put("STACK_NAME", run);
        fixed.put("DOMAIN", dom);
        List<String> warnings = new ArrayList<>();
        EnvFile parsed;
        Path envPath = base.resolve(envFile == null ? ".env.sample" : envFile);
        if (Files.isRegularFile(envPath)) {
            try {
                parsed = EnvFile.parse(base.relativize(envPath).toString(), Files.readString(envPath), fixed);
            } catch (IOException e) {
                throw RecipeException.of(ENV_FILE, "cannot read the env file " + envPath + ": " + e.getMessage(), e);
            } catch (RecipeException e) {
                throw RecipeException.of(ENV_FILE, e.getMessage(), e);
            }
            warnings.addAll(parsed.warnings());
        } else {
            warnings.add("the env file " + envPath + " does not exist; only env overrides, STACK_NAME and DOMAIN are set");
            parsed = EnvFile.parse(envPath.toString(), "", fixed);
        }
        boolean named = composeFiles != null && !composeFiles.isEmpty();
        List<String> names = named ? composeFiles
                : parsed.values().containsKey("COMPOSE_FILE") && !parsed.values().get("COMPOSE_FILE").isBlank()
                ? Arrays.stream(parsed.values().get("COMPOSE_FILE").split(":")).filter(s -> !s.isBlank()).toList()
                : List.of("compose.yml");
        List<Path> files = names.stream().map(n -> base.resolve(n.strip()).normalize()).toList();
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                throw RecipeException.of(named ? COMPOSE_FILES : RecipeException.RECIPE, "the compose file " + f + " does not exist", null);
            }
        }
        List<GeneratedSecret> secrets = new ArrayList<>();
        parsed.values().forEach((k, v) -> {
            Matcher m = SECRET_VERSION.matcher(k);
            if (m.matches() && !v.isBlank()) {
                String name = (run + "_" + m.group(1) + "_" + v).toLowerCase(Locale.ROOT);
                secrets.add(new GeneratedSecret(name, parsed.lengths().getOrDefault(k, DEFAULT_SECRET_LENGTH), k));
            }
        });
        return new Recipe(base, run, dom, parsed.values(), files, secrets, warnings);
    }

    /** {@code <first 4 of recipe name>-<6 hex>}: short enough for Swarm's 63-character names. */
    public static String defaultStack(Path dir, RandomGenerator random) {
        Path name = dir.getFileName();
        String clean = (name == null ? "run" : name.toString()).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        String prefix = clean.isEmpty() ? "run" : clean.substring(0, Math.min(4, clean.length()));
        byte[] b = new byte[3];
        random.nextBytes(b);
        return prefix + "-" + HexFormat.of().formatHex(b);
    }
}
