package io.longshore.deploy.warm;

import io.longshore.deploy.recipe.RecipeVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides, before anything changes, whether an upgrade from the deployed release to the latest may
 * go ahead on its own: never across a major version of the recipe or of the app, never through a
 * release whose notes ask for a manual step. Pure.
 */
public final class SafetyGate {
    public static final List<String> DEFAULT_MARKERS = List.of("manual migration", "manual action", "manual step",
            "action required", "by hand", "manually", "breaking change");
    private static final Pattern LEADING_NUMBER = Pattern.compile("^v?(\\d+)");
    /** How much of the notes an alert carries. */
    static final int EXCERPT = 4000;

    private SafetyGate() {}

    /** Why an upgrade is held: {@code reason} is held-major or held-notes; {@code notes} the notes that said so. */
    public record Hold(String reason, String sentence, String notes) {}

    /**
     * @param notes the release notes of each version after {@code deployed} up to {@code latest}, by tag
     */
    public static Optional<Hold> check(RecipeVersion deployed, RecipeVersion latest, Map<String, String> notes, List<String> markers) {
        if (latest.major() > deployed.major()) {
            return Optional.of(new Hold("held-major", "the recipe's major version goes from " + deployed.major() + " to "
                    + latest.major() + " (" + deployed.tag() + " → " + latest.tag() + "); upgrade by hand", excerpt(notes)));
        }
        Integer from = appMajor(deployed);
        Integer to = appMajor(latest);
        if (from != null && to != null && to > from) {
            return Optional.of(new Hold("held-major", "the app's major version goes from " + from + " to " + to + " ("
                    + deployed.appVersion() + " → " + latest.appVersion() + "); upgrade by hand", excerpt(notes)));
        }
        List<String> flagged = new ArrayList<>();
        for (Map.Entry<String, String> n : notes.entrySet()) {
            String text = n.getValue().toLowerCase(Locale.ROOT);
            markers.stream().filter(m -> !m.isBlank() && text.contains(m.toLowerCase(Locale.ROOT))).findFirst()
                    .ifPresent(m -> flagged.add(n.getKey() + " (\"" + m + "\")"));
        }
        if (!flagged.isEmpty()) {
            return Optional.of(new Hold("held-notes", "the release notes of " + String.join(", ", flagged)
                    + " ask for a manual step; upgrade by hand once it is done", excerpt(notes)));
        }
        return Optional.empty();
    }

    /** The leading number of the app version ({@code 26} of {@code 26.6.2}), or null when it has none. */
    static Integer appMajor(RecipeVersion v) {
        if (v.appVersion() == null) {
            return null;
        }
        Matcher m = LEADING_NUMBER.matcher(v.appVersion());
        return m.find() ? Integer.valueOf(m.group(1)) : null;
    }

    private static String excerpt(Map<String, String> notes) {
        StringBuilder sb = new StringBuilder();
        notes.forEach((tag, text) -> sb.append("## ").append(tag).append('\n').append(text.strip()).append("\n\n"));
        String s = sb.toString().strip();
        return s.length() > EXCERPT ? s.substring(0, EXCERPT) + " …" : s;
    }
}
