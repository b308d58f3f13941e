package io.longshore.kit.settings;

import java.util.Collection;
import java.util.Optional;

/**
 * The known name closest to one that is not known, when it is close enough to be a likely typo:
 * what the unknown-setting warning and a recipe's unknown label key both suggest.
 */
public final class ClosestName {
    private ClosestName() {}

    /** The candidate nearest to {@code name}, if at most {@code tolerance} edits away; the first of equals wins. */
    public static Optional<String> of(String name, Collection<String> candidates, int tolerance) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(name, c);
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        return best != null && bestDistance <= tolerance ? Optional.of(best) : Optional.empty();
    }

    /** Damerau-Levenshtein (optimal string alignment): a swapped pair of letters is one typo. */
    public static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
