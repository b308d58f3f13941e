package io.longshore.deploy.convert;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The value syntaxes compose shares with the docker CLI: Go durations, RAM sizes and CPU counts. */
public final class Units {
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");
    private static final Pattern RAM = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgtp]?)(i?b)?", Pattern.CASE_INSENSITIVE);

    private Units() {}

    /** A Go duration ({@code 1m30s}, {@code 500ms}, {@code 0}) in nanoseconds; a bare number counts as seconds. */
    public static long nanos(String s) {
        String v = s.strip();
        if (v.equals("0")) {
            return 0;
        }
        if (v.matches("\\d+")) {
            return Long.parseLong(v) * 1_000_000_000L;
        }
        boolean neg = v.startsWith("-");
        if (neg || v.startsWith("+")) {
            v = v.substring(1);
        }
        Matcher m = DURATION_PART.matcher(v);
        int pos = 0;
        BigDecimal total = BigDecimal.ZERO;
        while (m.find()) {
            if (m.start() != pos) {
                throw new IllegalArgumentException("invalid duration \"" + s + "\"");
            }
            BigDecimal n = new BigDecimal(m.group(1).startsWith(".") ? "0" + m.group(1) : m.group(1));
            long unit = switch (m.group(2)) {
                case "ns" -> 1L;
                case "us", "µs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            total = total.add(n.multiply(BigDecimal.valueOf(unit)));
            pos = m.end();
        }
        if (pos != v.length() || pos == 0) {
            throw new IllegalArgumentException("invalid duration \"" + s + "\"");
        }
        long n = total.longValue();
        return neg ? -n : n;
    }

    /** {@code 512m}, {@code 1GB}, {@code 64k}, bare bytes: binary units as the docker CLI reads memory sizes. */
    public static long ramBytes(String s) {
        Matcher m = RAM.matcher(s.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("invalid size \"" + s + "\"");
        }
        String unit = m.group(2).toLowerCase(Locale.ROOT);
        int power = unit.isEmpty() ? 0 : "kmgtp".indexOf(unit) + 1;
        return new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(1024).pow(power)).longValue();
    }

    /** {@code 0.5} CPUs in nano CPUs, as {@code --cpus} reads them. */
    public static long nanoCpus(String s) {
        BigDecimal n = new BigDecimal(s.strip()).multiply(BigDecimal.valueOf(1_000_000_000L));
        try {
            return n.longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("value is too precise: \"" + s + "\"");
        }
    }
}
