package io.longshore.verify.walk;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The walked tree as lines: index → platform → config/layers, each with its status. */
public final class TreePrinter {
    private TreePrinter() {}

    /** @param brokenOnly print only the paths that lead to a finding (the probe's view of a whole registry) */
    public static List<String> render(List<Node> roots, boolean brokenOnly) {
        List<String> lines = new ArrayList<>();
        for (Node root : roots) {
            if (brokenOnly && root.worst() == Node.Status.OK) {
                continue;
            }
            lines.add(line(root));
            children(root, "", lines, brokenOnly);
        }
        return lines;
    }

    private static void children(Node parent, String indent, List<String> lines, boolean brokenOnly) {
        List<Node> kids = brokenOnly
                ? parent.children().stream().filter(c -> c.worst() == Node.Status.BROKEN || c.worst() == Node.Status.UNREACHABLE).toList()
                : parent.children();
        for (int i = 0; i < kids.size(); i++) {
            boolean last = i == kids.size() - 1;
            Node c = kids.get(i);
            lines.add(indent + (last ? "└─ " : "├─ ") + line(c));
            children(c, indent + (last ? "   " : "│  "), lines, brokenOnly);
        }
    }

    static String line(Node n) {
        StringBuilder sb = new StringBuilder(n.label());
        if (n.digest() != null) {
            sb.append("  ").append(n.digest());
        }
        switch (n.kind()) {
            case INDEX, MANIFEST -> {
                if (n.mediaType() != null) {
                    sb.append("  ").append(io.longshore.verify.model.MediaTypes.describe(n.mediaType()));
                }
            }
            case CONFIG, LAYER, BLOB -> {
                if (n.size() >= 0) {
                    sb.append("  ").append(size(n.size()));
                }
            }
            default -> { }
        }
        sb.append("  ").append(n.status().name().toLowerCase(Locale.ROOT));
        if (n.shared()) {
            sb.append(" (checked above)");
        }
        if (n.finding() != null) {
            sb.append(": ").append(n.finding().message());
        }
        return sb.toString();
    }

    public static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
