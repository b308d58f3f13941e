package io.longshore.kit.stack;

/**
 * The kinds of engine object a run consists of, in teardown order. Containers are listed so a
 * verify can see lingering task containers; images are never part of a run.
 */
public enum ObjectKind {
    SERVICE("service", "services"),
    CONTAINER("container", "containers"),
    SECRET("secret", "secrets"),
    CONFIG("config", "configs"),
    NETWORK("network", "networks"),
    VOLUME("volume", "volumes");

    private final String singular;
    private final String plural;

    ObjectKind(String singular, String plural) {
        this.singular = singular;
        this.plural = plural;
    }

    public String singular() {
        return singular;
    }

    public String plural() {
        return plural;
    }

    /** Services, secrets and configs exist only on a swarm manager. */
    public boolean swarmOnly() {
        return this == SERVICE || this == SECRET || this == CONFIG;
    }
}
