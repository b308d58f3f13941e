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
 * environment compose files are interpolated with (the env file, then the {@code export} lines of
 * {@code abra.sh}, then the overrides, {@code STACK_NAME} and {@code DOMAIN}), the compose files
 * in merge order, the secrets {@code secrets: generate} creates, and the optional overlays the env
 * file offers in commented {@code COMPOSE_FILE} lines.
 *
 * @param fromAbraSh the names whose values came from {@code abra.sh} (an override of the same name wins)
 */
public record Recipe(Path dir, String stack, String domain, Map<String, String> env, List<Path> composeFiles,
                     List<GeneratedSecret> generatedSecrets, List<String> fromAbraSh, List<OptionalOverlay> overlays,
                     List<String> warnings) {
    private static final Pattern SECRET_VERSION = Pattern.compile("SECRET_(.+)_VERSION");
    /** Length of a generated secret whose env line carries no {@code # length=N}. */
    public static final int DEFAULT_SECRET_LENGTH = 32;
    /** The settings whose values a recipe's errors can refuse besides {@code --recipe}. */
    static final String ENV_FILE = "--env-file";
    static final String COMPOSE_FILES = "--compose-files";

    /** A secret the recipe expects to exist: {@code ${STACK_NAME}_<name>_<version>}, lower case. */
    public record GeneratedSecret(String name, int length, String envKey, SecretCharset charset) {
        public GeneratedSecret(String name, int length, String envKey) {
            this(name, length, envKey, SecretCharset.ALNUM);
        }
    }

    /** A recipe without abra.sh values or optional overlays (as tests build one by hand). */
    public Recipe(Path dir, String stack, String domain, Map<String, String> env, List<Path> composeFiles,
                  List<GeneratedSecret> generatedSecrets, List<String> warnings) {
        this(dir, stack, domain, env, composeFiles, generatedSecrets, List.of(), List.of(), warnings);
    }

    public Recipe {
        env = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(env));
        composeFiles = List.copyOf(composeFiles);
        generatedSecrets = List.copyOf(generatedSecrets);
        fromAbraSh = List.copyOf(fromAbraSh);
        overlays = List.copyOf(overlays);
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
        List<OptionalOverlay> overlays = List.of();
        Path envPath = base.resolve(envFile == null ? ".env.sample" : envFile);
        if (Files.isRegularFile(envPath)) {
            String name = base.relativize(envPath).toString();
            String text = read(envPath, "the env file", ENV_FILE);
            try {
                parsed = EnvFile.parse(name, text, fixed);
                overlays = OptionalOverlay.find(name, text, fixed);
            } catch (RecipeException e) {
                throw RecipeException.of(ENV_FILE, e.getMessage(), e);
            }
            warnings.addAll(parsed.warnings());
        } else {
            warnings.add("the env file " + envPath + " does not exist; only env overrides, STACK_NAME and DOMAIN are set");
            parsed = EnvFile.parse(envPath.toString(), "", fixed);
        }
        Map<String, String> env = new LinkedHashMap<>(parsed.values());
        List<String> fromAbraSh = List.of();
        Path abraSh = base.resolve(AbraSh.FILE);
        if (Files.isRegularFile(abraSh)) {
            AbraSh exports = AbraSh.parse(read(abraSh, "the recipe's", RecipeException.RECIPE), parsed.values(), fixed);
            env.putAll(exports.values());
            env.putAll(fixed);
            fromAbraSh = exports.names();
        }
        boolean named = composeFiles != null && !composeFiles.isEmpty();
        List<String> names = named ? composeFiles
                : env.containsKey("COMPOSE_FILE") && !env.get("COMPOSE_FILE").isBlank()
                ? Arrays.stream(env.get("COMPOSE_FILE").split(":")).filter(s -> !s.isBlank()).toList()
                : List.of("compose.yml");
        List<Path> files = names.stream().map(n -> base.resolve(n.strip()).normalize()).toList();
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                throw RecipeException.of(named ? COMPOSE_FILES : RecipeException.RECIPE, "the compose file " + f + " does not exist", null);
            }
        }
        List<GeneratedSecret> secrets = new ArrayList<>();
        env.forEach((k, v) -> {
            Matcher m = SECRET_VERSION.matcher(k);
            if (m.matches() && !v.isBlank()) {
                String name = (run + "_" + m.group(1) + "_" + v).toLowerCase(Locale.ROOT);
                secrets.add(new GeneratedSecret(name, parsed.lengths().getOrDefault(k, DEFAULT_SECRET_LENGTH), k,
                        parsed.charsets().getOrDefault(k, SecretCharset.ALNUM)));
            }
        });
        return new Recipe(base, run, dom, env, files, secrets, fromAbraSh, overlays, warnings);
    }

    private static String read(Path file, String what, String setting) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw RecipeException.of(setting, "cannot read " + what + " " + file + ": " + e.getMessage(), e);
        }
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
