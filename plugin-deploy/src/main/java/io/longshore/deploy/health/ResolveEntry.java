package io.longshore.deploy.health;

/** {@code host:port:address} as curl's {@code --resolve}: connect to {@code address} for {@code host:port}. */
public record ResolveEntry(String host, int port, String address) {
    public static ResolveEntry parse(String s) {
        int first = s.indexOf(':');
        int second = first < 0 ? -1 : s.indexOf(':', first + 1);
        if (first <= 0 || second < 0 || second == s.length() - 1) {
            throw new IllegalArgumentException("'" + s + "' is not host:port:address");
        }
        String address = s.substring(second + 1);
        if (address.startsWith("[") && address.endsWith("]")) {
            address = address.substring(1, address.length() - 1);
        }
        return new ResolveEntry(s.substring(0, first).toLowerCase(), Integer.parseInt(s.substring(first + 1, second)), address);
    }
}
