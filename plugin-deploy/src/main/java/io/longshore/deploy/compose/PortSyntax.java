package io.longshore.deploy.compose;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.longshore.deploy.recipe.RecipeException;
import java.util.ArrayList;
import java.util.List;

/** {@code [ip:][published[-end]:]target[-end][/protocol]}, the short port syntax; ranges expand to one port each. */
final class PortSyntax {
    private PortSyntax() {}

    static List<ObjectNode> parse(String spec, String where) {
        String s = spec.strip();
        String proto = "tcp";
        int slash = s.lastIndexOf('/');
        if (slash >= 0) {
            proto = s.substring(slash + 1).toLowerCase();
            s = s.substring(0, slash);
        }
        String[] parts = s.split(":");
        String target;
        String published = null;
        switch (parts.length) {
            case 1 -> target = parts[0];
            case 2 -> {
                published = parts[0];
                target = parts[1];
            }
            case 3 -> {
                published = parts[1];
                target = parts[2];
            }
            default -> throw new RecipeException(where + ": invalid port \"" + spec + "\"");
        }
        try {
            int[] t = range(target);
            int[] p = published == null || published.isEmpty() ? null : range(published);
            if (p != null && p[1] - p[0] != t[1] - t[0] && p[0] != p[1]) {
                throw new RecipeException(where + ": port ranges of different sizes in \"" + spec + "\"");
            }
            List<ObjectNode> out = new ArrayList<>();
            for (int i = 0; i <= t[1] - t[0]; i++) {
                ObjectNode o = JsonNodeFactory.instance.objectNode();
                o.put("mode", "ingress");
                o.put("target", t[0] + i);
                if (p != null) {
                    o.put("published", p[0] == p[1] ? p[0] : p[0] + i);
                }
                o.put("protocol", proto);
                out.add(o);
            }
            return out;
        } catch (NumberFormatException e) {
            throw new RecipeException(where + ": invalid port \"" + spec + "\"");
        }
    }

    private static int[] range(String r) {
        int dash = r.indexOf('-');
        if (dash < 0) {
            int v = Integer.parseInt(r);
            return new int[] {v, v};
        }
        return new int[] {Integer.parseInt(r.substring(0, dash)), Integer.parseInt(r.substring(dash + 1))};
    }
}
