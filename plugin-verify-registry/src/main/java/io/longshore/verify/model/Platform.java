package io.longshore.verify.model;

import java.util.Locale;

/** An index child's platform: os/architecture[/variant]. */
public record Platform(String os, String architecture, String variant) {

    /** Parses {@code linux/amd64} or {@code linux/arm64/v8}; throws IllegalArgumentException otherwise. */
    public static Platform parse(String text) {
        String[] parts = text.trim().toLowerCase(Locale.ROOT).split("/", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException("'" + text + "' is not a platform; use os/architecture[/variant], e.g. linux/arm64/v8");
        }
        for (String p : parts) {
            if (!p.matches("[a-z0-9._-]+")) {
                throw new IllegalArgumentException("'" + text + "' is not a platform; use os/architecture[/variant], e.g. linux/arm64/v8");
            }
        }
        return new Platform(parts[0], parts[1], parts.length == 3 ? parts[2] : null);
    }

    /** buildx attestation manifests and other non-runnable children carry unknown/unknown. */
    public boolean isUnknown() {
        return "unknown".equals(os) && "unknown".equals(architecture);
    }

    /** Whether this child's platform is the one a filter names; a filter without variant accepts any variant. */
    public boolean matches(Platform filter) {
        if (!eq(os, filter.os) || !eq(architecture, filter.architecture)) {
            return false;
        }
        return filter.variant == null || filter.variant.equals(normalisedVariant());
    }

    private String normalisedVariant() {
        if (variant != null) {
            return variant.toLowerCase(Locale.ROOT);
        }
        return switch (architecture == null ? "" : architecture) {
            case "arm64" -> "v8";
            case "arm" -> "v7";
            default -> null;
        };
    }

    private static boolean eq(String a, String b) {
        return a != null && a.equalsIgnoreCase(b);
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant == null || variant.isEmpty() ? "" : "/" + variant);
    }
}
