package io.longshore.kit.settings;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Binds a plugin's picocli options to {@code PLUGIN_*} variables exactly as PRODUCT.md says:
 * the option wins over the variable, an empty variable is unset, and every value form (lists,
 * maps, booleans, durations, sizes, enums, secrets) has one converter.
 */
public final class SettingsBinder {
    /** Options that every picocli command has and that are not settings. */
    private static final List<String> NOT_SETTINGS = List.of("--help", "--version");

    private SettingsBinder() {}

    public static void bind(CommandLine cli, Map<String, String> env) {
        cli.setDefaultValueProvider(arg -> fromEnv(arg, env));
        cli.registerConverter(Boolean.class, SettingFormats::parseBoolean);
        cli.registerConverter(Boolean.TYPE, SettingFormats::parseBoolean);
        cli.registerConverter(Integer.class, SettingFormats::parseInt);
        cli.registerConverter(Integer.TYPE, SettingFormats::parseInt);
        cli.registerConverter(Duration.class, SettingFormats::parseDuration);
        cli.registerConverter(DataSize.class, SettingFormats::parseSize);
        cli.registerConverter(StringList.class, SettingFormats::parseList);
        cli.registerConverter(StringMap.class, SettingFormats::parseMap);
        cli.registerConverter(Secret.class, Secret::new);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setOverwrittenOptionsAllowed(true);
    }

    private static String fromEnv(ArgSpec arg, Map<String, String> env) {
        if (!(arg instanceof OptionSpec option) || NOT_SETTINGS.contains(option.longestName())) {
            return null;
        }
        String value = env.get(Setting.variableFor(option.longestName()));
        // Empty means unset (picocli's own ${env:X:-d} would yield ""): fall back to the declared default.
        // picocli interpolates ${...} in default values; a setting such as health_url: https://${DOMAIN}/
        // must reach the plugin as written, so escape it ($${ is picocli's literal ${).
        return value == null || value.isBlank() ? null : value.replace("${", "$${");
    }

    public static List<Setting> settings(CommandSpec spec) {
        List<Setting> out = new ArrayList<>();
        for (OptionSpec option : spec.options()) {
            if (!NOT_SETTINGS.contains(option.longestName()) && !option.hidden()) {
                out.add(Setting.of(option));
            }
        }
        out.sort(Comparator.comparing(Setting::option));
        return out;
    }

    /**
     * Refuses, naming its variable, the first value outside the {@link Bounds} its declaration gives
     * (after parsing, before the plugin's own checks).
     */
    public static void checkBounds(CommandSpec spec) throws InvalidSettingException {
        for (OptionSpec option : spec.options()) {
            if (NOT_SETTINGS.contains(option.longestName())) {
                continue;
            }
            Setting s = Setting.of(option);
            Optional<String> problem = s.outOfBounds(option.getValue());
            if (problem.isPresent()) {
                throw new InvalidSettingException(s.variable(), problem.get());
            }
        }
    }

    /**
     * Warnings for {@code PLUGIN_*} variables that are not settings of this plugin, each with the
     * closest real name when one is close enough to be a likely typo.
     */
    public static List<String> unknownVariables(String plugin, List<Setting> settings, Map<String, String> env) {
        List<String> known = settings.stream().map(Setting::variable).toList();
        List<String> warnings = new ArrayList<>();
        env.keySet().stream().filter(k -> k.startsWith(Setting.PREFIX)).sorted().forEach(name -> {
            if (known.contains(name)) {
                return;
            }
            Optional<String> closest = closest(name, known);
            warnings.add(name + " is not a setting of " + plugin
                    + closest.map(c -> "; did you mean " + c + "?").orElse("; see --help for the settings it has."));
        });
        return warnings;
    }

    static Optional<String> closest(String name, List<String> candidates) {
        String bare = name.substring(Setting.PREFIX.length());
        return ClosestName.of(name.toUpperCase(Locale.ROOT), candidates, Math.max(2, bare.length() / 3));
    }
}
