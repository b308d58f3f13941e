package io.longshore.kit.stack;

/** An object of the run still on the engine after teardown, and why it could not go. */
public record Residue(ObjectKind kind, String name, String id, String why) {
    @Override
    public String toString() {
        return kind.singular() + " " + name + ": " + why;
    }
}
