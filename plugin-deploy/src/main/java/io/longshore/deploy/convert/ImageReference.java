package io.longshore.deploy.convert;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An image reference as {@code docker stack deploy} sends it to the engine: the docker client
 * parses it as a normalised name (distribution's {@code ParseNormalizedNamed}), adds {@code :latest}
 * when it has neither tag nor digest ({@code TagNameOnly}) and writes it back in its familiar form
 * ({@code FamiliarString}: no {@code docker.io/} or {@code library/} prefix). A reference it cannot
 * parse is sent as written, and so is it here: the engine is the one to refuse it.
 */
public final class ImageReference {
    private static final String DEFAULT_DOMAIN = "docker.io";
    private static final String LEGACY_DOMAIN = "index.docker.io";
    private static final String OFFICIAL_PREFIX = "library/";

    private static final String ALNUM = "[a-z0-9]+";
    private static final String SEPARATOR = "(?:[._]|__|[-]+)";
    private static final String COMPONENT = ALNUM + "(?:" + SEPARATOR + ALNUM + ")*";
    private static final String DOMAIN_LABEL = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String DOMAIN = "(?:" + DOMAIN_LABEL + "(?:\\." + DOMAIN_LABEL + ")*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?";
    private static final Pattern PATH = Pattern.compile(COMPONENT + "(?:/" + COMPONENT + ")*");
    private static final Pattern DOMAIN_PATTERN = Pattern.compile(DOMAIN);
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-f0-9]{64}");
    private static final int NAME_MAX = 255;

    private ImageReference() {}

    /** {@code image} as the docker client would send it: tagged and familiar, or unchanged when it does not parse. */
    public static String normalise(String image) {
        Parsed p = parse(image);
        if (p == null) {
            return image;
        }
        String tag = p.tag == null && p.digest == null ? "latest" : p.tag;
        return familiarName(p.domain, p.path) + (tag == null ? "" : ":" + tag) + (p.digest == null ? "" : "@" + p.digest);
    }

    private record Parsed(String domain, String path, String tag, String digest) {}

    private static Parsed parse(String s) {
        if (s == null || s.isEmpty() || IDENTIFIER.matcher(s).matches()) {
            return null;
        }
        String rest = s;
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            if (!DIGEST.matcher(digest).matches()) {
                return null;
            }
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                return null;
            }
        }
        String domain;
        String path;
        int slash = rest.indexOf('/');
        String first = slash < 0 ? "" : rest.substring(0, slash);
        if (slash < 0 || (!first.contains(".") && !first.contains(":") && !first.equals("localhost")
                && first.toLowerCase(Locale.ROOT).equals(first))) {
            domain = DEFAULT_DOMAIN;
            path = rest;
        } else {
            domain = first;
            path = rest.substring(slash + 1);
        }
        if (domain.equals(LEGACY_DOMAIN)) {
            domain = DEFAULT_DOMAIN;
        }
        if (domain.equals(DEFAULT_DOMAIN) && !path.contains("/")) {
            path = OFFICIAL_PREFIX + path;
        }
        if (!path.toLowerCase(Locale.ROOT).equals(path) || !PATH.matcher(path).matches()
                || !DOMAIN_PATTERN.matcher(domain).matches() || domain.length() + 1 + path.length() > NAME_MAX) {
            return null;
        }
        return new Parsed(domain, path, tag, digest);
    }

    private static String familiarName(String domain, String path) {
        if (!domain.equals(DEFAULT_DOMAIN)) {
            return domain + "/" + path;
        }
        if (path.startsWith(OFFICIAL_PREFIX) && path.indexOf('/', OFFICIAL_PREFIX.length()) < 0) {
            return path.substring(OFFICIAL_PREFIX.length());
        }
        return path;
    }
}
