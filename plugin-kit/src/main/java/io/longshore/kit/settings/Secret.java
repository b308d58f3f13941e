package io.longshore.kit.settings;

/**
 * A setting whose value must never be printed. {@link #toString()} is masked so that string
 * concatenation, records and exceptions cannot leak it; call {@link #reveal()} at the one place
 * that needs the value.
 */
public record Secret(String value) {
    public Secret {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("a secret is never empty; leave the setting unset instead");
        }
    }

    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return "******";
    }
}
