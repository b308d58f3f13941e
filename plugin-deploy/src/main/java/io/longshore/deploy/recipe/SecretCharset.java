package io.longshore.deploy.recipe;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The alphabet of a generated secret, as a recipe asks for it with {@code # charset=...} after its
 * {@code SECRET_<NAME>_VERSION} line. {@link #ALNUM} is also the default.
 */
public enum SecretCharset {
    ALNUM("alnum", "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"),
    HEX("hex", "0123456789abcdef");

    private final String label;
    private final String alphabet;

    SecretCharset(String label, String alphabet) {
        this.label = label;
        this.alphabet = alphabet;
    }

    /** The name a recipe writes after {@code charset=}. */
    @JsonValue
    public String label() {
        return label;
    }

    public String alphabet() {
        return alphabet;
    }

    /** {@code length} characters of this alphabet drawn from {@code random}. */
    public String random(int length, RandomGenerator random) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    public static Optional<SecretCharset> named(String label) {
        String l = label.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(c -> c.label.equals(l)).findFirst();
    }
}
