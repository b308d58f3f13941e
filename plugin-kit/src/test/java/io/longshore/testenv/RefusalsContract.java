package io.longshore.testenv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.longshore.kit.run.Launcher;
import io.longshore.kit.run.Plugin;
import io.longshore.kit.run.ShutdownHooks;
import io.longshore.kit.settings.Bounds;
import io.longshore.kit.settings.DataSize;
import io.longshore.kit.settings.Setting;
import io.longshore.kit.settings.SettingFormats;
import io.longshore.kit.settings.SettingsBinder;
import io.longshore.kit.settings.StringList;
import io.longshore.kit.settings.StringMap;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;

/**
 * Each plugin module extends this: every value a plugin refuses ends in exit 2 with a summary that
 * names the refused setting's {@code PLUGIN_} variable. It iterates the declarations, so a new
 * setting cannot slip past: a typed setting (boolean, number, duration, size, enum, list, map) is
 * refused with a value outside its form; a setting the plugin checks itself lists its refused
 * values in {@link #refusals()}; a setting that takes any value is named in {@link #acceptsAnyValue()}.
 * The kit's own shared settings (lock, report) are classified here.
 *
 * <p>No case reaches an engine or registry: {@code DOCKER_HOST} points at a socket that does not
 * exist, so a value that is wrongly accepted ends in another exit code, not in work.
 */
public abstract class RefusalsContract {
    /** A value the plugin refuses for {@code variable}, with the other variables it needs to be refused. */
    public record Refusal(String variable, String value, Map<String, String> with) {
        public Refusal(String variable, String value) {
            this(variable, value, Map.of());
        }
    }

    /** A fresh command (picocli binds into its fields). */
    protected abstract Plugin plugin();

    /** Variables every case starts from: what a run needs besides the setting under test. */
    protected Map<String, String> baseline() {
        return Map.of();
    }

    /** The values the plugin's own checks refuse (beyond the forms of typed settings). */
    protected abstract List<Refusal> refusals();

    /** Variables of settings whose every value is accepted (texts, output paths). */
    protected abstract Set<String> acceptsAnyValue();

    /** The shared settings the kit declares, and what it refuses of them. */
    private static final Set<String> KIT_ACCEPTS_ANY = Set.of("PLUGIN_REPORT");
    private static final List<Refusal> KIT_REFUSALS = List.of(
            new Refusal("PLUGIN_LOCK", "ci lock"));

    /** A value outside the form of a typed setting, or empty for a text. */
    static Optional<String> outsideForm(Setting s) {
        Class<?> t = s.type();
        if (t == Boolean.class || t == boolean.class) {
            return Optional.of("maybe");
        }
        if (t == Integer.class || t == int.class || t == Long.class || t == long.class) {
            return Optional.of("many");
        }
        if (t == Duration.class) {
            return Optional.of("soon");
        }
        if (t == DataSize.class) {
            return Optional.of("lots");
        }
        if (t.isEnum()) {
            return Optional.of("no-such-choice");
        }
        if (t == StringList.class) {
            return Optional.of("[\"unclosed\",");
        }
        if (t == StringMap.class) {
            return Optional.of("KEY_WITHOUT_VALUE");
        }
        return Optional.empty();
    }

    /** Values just outside a setting's declared {@link Bounds}: the launcher refuses them before the plugin runs. */
    static List<String> outsideBounds(Setting s) {
        Bounds b = s.bounds();
        if (b == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        if (s.type() == Duration.class) {
            if (b.aboveMin()) {
                out.add(b.min());
            }
            if (!b.max().isEmpty()) {
                out.add(SettingFormats.formatDuration(SettingFormats.parseDuration(b.max()).plusSeconds(1)));
            }
            return out;
        }
        if (!b.min().isEmpty()) {
            out.add(String.valueOf(Long.parseLong(b.min()) - (b.aboveMin() ? 0 : 1)));
        }
        if (!b.max().isEmpty()) {
            out.add(String.valueOf(Long.parseLong(b.max()) + 1));
        }
        return out;
    }

    @Test
    void helpShowsWhatEachBoundedSettingAllows() {
        String help = io.longshore.kit.settings.SettingsTable.help(settings());
        String table = io.longshore.kit.settings.SettingsTable.markdown(settings());
        for (Setting s : settings()) {
            if (s.bounds() != null || s.type().isEnum()) {
                assertTrue(help.contains(s.form()), s.variable() + ": --help does not show " + s.form());
                assertTrue(table.contains("Allowed: " + s.allowed() + "."), s.variable() + ": the table does not show " + s.allowed());
            }
        }
    }

    private List<Setting> settings() {
        return SettingsBinder.settings(new CommandLine(plugin()).getCommandSpec());
    }

    @Test
    void everySettingIsEitherRefusableOrDeclaredToAcceptAnyValue() {
        List<Setting> settings = settings();
        Set<String> variables = new TreeSet<>(settings.stream().map(Setting::variable).toList());
        Set<String> refused = new TreeSet<>();
        allRefusals(settings).forEach(r -> refused.add(r.variable()));
        Set<String> any = new TreeSet<>(acceptsAnyValue());
        any.addAll(KIT_ACCEPTS_ANY);
        List<String> problems = new ArrayList<>();
        for (Setting s : settings) {
            boolean refusable = refused.contains(s.variable());
            if (!refusable && !any.contains(s.variable())) {
                problems.add(s.variable() + " is neither refused by a case nor declared to accept any value");
            }
            if (refusable && any.contains(s.variable())) {
                problems.add(s.variable() + " is declared to accept any value but has refused values");
            }
        }
        Set<String> named = new TreeSet<>(refused);
        named.addAll(acceptsAnyValue());
        for (String v : named) {
            if (!variables.contains(v)) {
                problems.add(v + " is not a setting of this plugin");
            }
        }
        assertEquals(List.of(), problems);
    }

    @TestFactory
    Stream<DynamicTest> everyRefusedValueExitsTwoNamingItsVariable() {
        return allRefusals(settings()).stream().map(r -> DynamicTest.dynamicTest(r.variable() + "=" + r.value(), () -> {
            Map<String, String> env = new HashMap<>(baseline());
            env.put("DOCKER_HOST", "unix:///nonexistent/longshore-refusals.sock");
            env.putAll(r.with());
            env.put(r.variable(), r.value());
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
            int code = new Launcher(env, out, out, new ShutdownHooks(m -> {})).execute(plugin(), new String[0]);
            String output = bytes.toString(StandardCharsets.UTF_8);
            String summary = output.strip().lines().reduce((a, b) -> b).orElse("");
            assertEquals(2, code, output);
            assertTrue(summary.contains("(exit 2") && summary.contains(r.variable() + ": "),
                    "the summary does not name " + r.variable() + ":\n" + output);
        }));
    }

    private List<Refusal> allRefusals(List<Setting> settings) {
        Set<String> declared = new TreeSet<>(settings.stream().map(Setting::variable).toList());
        List<Refusal> all = new ArrayList<>();
        for (Setting s : settings) {
            outsideForm(s).ifPresent(v -> all.add(new Refusal(s.variable(), v)));
            outsideBounds(s).forEach(v -> all.add(new Refusal(s.variable(), v)));
        }
        KIT_REFUSALS.stream().filter(r -> declared.contains(r.variable())).forEach(all::add);
        all.addAll(refusals());
        return all;
    }
}
