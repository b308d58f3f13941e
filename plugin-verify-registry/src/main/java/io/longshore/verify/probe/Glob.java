package io.longshore.verify.probe;

import java.util.List;
import java.util.regex.Pattern;

/** Repository globs for {@code probe_repos}: {@code *} within one path segment, {@code **} across segments, {@code ?} one character. */
public record Glob(String text, Pattern pattern) {
    public static Glob of(String text) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '*' && i + 1 < text.length() && text.charAt(i + 1) == '*') {
                re.append(".*");
                i++;
            } else if (c == '*') {
                re.append("[^/]*");
            } else if (c == '?') {
                re.append("[^/]");
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return new Glob(text, Pattern.compile(re.toString()));
    }

    public boolean matches(String repository) {
        return pattern.matcher(repository).matches();
    }

    public static boolean anyMatches(List<Glob> globs, String repository) {
        return globs.isEmpty() || globs.stream().anyMatch(g -> g.matches(repository));
    }
}
