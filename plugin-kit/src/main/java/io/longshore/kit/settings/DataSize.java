package io.longshore.kit.settings;

/** A size in bytes, read from {@code 512MiB}, {@code 5GB} or bare bytes. */
public record DataSize(long bytes) implements Comparable<DataSize> {
    public DataSize {
        if (bytes < 0) {
            throw new IllegalArgumentException("a size is never negative");
        }
    }

    @Override
    public int compareTo(DataSize o) {
        return Long.compare(bytes, o.bytes);
    }

    /** Human form with binary units, e.g. {@code 1.5 GiB}. */
    public String human() {
        return human(bytes);
    }

    public static String human(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? bytes + " B" : String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }

    @Override
    public String toString() {
        return human();
    }
}
