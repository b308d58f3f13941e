package io.longshore.deploy.converge;

/** One service's state for progress lines and the summary: {@code web 2/2 running}. */
public record ServiceProgress(String name, String mode, int ready, int desired, String state) {
    @Override
    public String toString() {
        return name + " " + ready + "/" + desired + " " + state;
    }
}
