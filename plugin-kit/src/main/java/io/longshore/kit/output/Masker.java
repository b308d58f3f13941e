package io.longshore.kit.output;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Replaces every known secret in a piece of output. Every way out of a plugin (console, report,
 * error sentences) goes through one masker, so a secret registered once is hidden everywhere —
 * including its base64 form (Basic auth headers, docker config "auth") and JSON-escaped form.
 */
public final class Masker {
    public static final String MASK = "******";
    /** Shorter values would mask ordinary words; such secrets are still never printed by design. */
    private static final int MIN_LENGTH = 3;

    private final List<String> secrets = new CopyOnWriteArrayList<>();

    public void add(String secret) {
        if (secret == null || secret.length() < MIN_LENGTH) {
            return;
        }
        addForm(secret);
        addForm(Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)));
        addForm(jsonEscaped(secret));
        secrets.sort(Comparator.comparingInt(String::length).reversed());
    }

    private void addForm(String form) {
        if (!secrets.contains(form)) {
            secrets.add(form);
        }
    }

    public String mask(String text) {
        if (text == null || secrets.isEmpty()) {
            return text;
        }
        String out = text;
        for (String s : secrets) {
            out = out.replace(s, MASK);
        }
        return out;
    }

    private static String jsonEscaped(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
