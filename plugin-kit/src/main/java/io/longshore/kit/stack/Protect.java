package io.longshore.kit.stack;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Stack name globs that nothing touches ({@code protect}): {@code *} any run of characters,
 * {@code ?} one character, everything else literal; a glob matches the whole stack name.
 */
public record Protect(List<String> globs) {
    public Protect {
        globs = globs == null ? List.of() : globs.stream().map(String::trim).filter(g -> !g.isEmpty()).toList();
    }

    public static Protect none() {
        return new Protect(List.of());
    }

    public static Protect of(String... globs) {
        return new Protect(List.of(globs));
    }

    /** The first glob that matches {@code stack}, if any. */
    public Optional<String> matching(String stack) {
        return globs.stream().filter(g -> regex(g).matcher(stack).matches()).findFirst();
    }

    public boolean protects(String stack) {
        return matching(stack).isPresent();
    }

    static Pattern regex(String glob) {
        StringBuilder sb = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> sb.append(".*");
                case '?' -> sb.append('.');
                default -> sb.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(sb.toString());
    }
}
