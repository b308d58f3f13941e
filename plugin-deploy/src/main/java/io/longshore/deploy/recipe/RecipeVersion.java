package io.longshore.deploy.recipe;

import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A recipe release tag: {@code <recipe-semver>+<app-version>} (the recipe convention, e.g.
 * {@code 1.2.0+2.4.1}) or plain semver, with an optional leading {@code v}. Ordered by the recipe
 * semver (pre-releases before their release); the app version is build metadata and never orders.
 */
public record RecipeVersion(String tag, int major, int minor, int patch, String preRelease, String appVersion)
        implements Comparable<RecipeVersion> {
    private static final Pattern FORM = Pattern.compile(
            "v?(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-([0-9A-Za-z.-]+))?(?:\\+([0-9A-Za-z.+_-]+))?");

    private static final Comparator<RecipeVersion> ORDER = Comparator.comparingInt(RecipeVersion::major)
            .thenComparingInt(RecipeVersion::minor)
            .thenComparingInt(RecipeVersion::patch)
            .thenComparing(RecipeVersion::preRelease, RecipeVersion::comparePreRelease);

    /** Null when {@code tag} is not a version tag. */
    public static RecipeVersion parse(String tag) {
        Matcher m = FORM.matcher(tag);
        if (!m.matches()) {
            return null;
        }
        return new RecipeVersion(tag, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                m.group(4), m.group(5));
    }

    @Override
    public int compareTo(RecipeVersion o) {
        return ORDER.compare(this, o);
    }

    /** Semver: a release outranks its pre-releases; identifiers compare numerically when both are numbers. */
    private static int comparePreRelease(String a, String b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : 1) : -1;
        }
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            boolean xn = x[i].matches("\\d+");
            boolean yn = y[i].matches("\\d+");
            int c = xn && yn ? Long.compare(Long.parseLong(x[i]), Long.parseLong(y[i]))
                    : xn ? -1 : yn ? 1 : x[i].compareTo(y[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    }
}
