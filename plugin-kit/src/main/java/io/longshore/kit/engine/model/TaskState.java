package io.longshore.kit.engine.model;

import java.util.Locale;

/**
 * A swarm task's state, in the order swarm moves a task through them. The groups are the ones
 * longshore's rules read: a task still on its way, one whose container may hold ports and volumes,
 * and one that has ended.
 */
public enum TaskState {
    NEW, ALLOCATED, PENDING, ASSIGNED, ACCEPTED, PREPARING, READY, STARTING, RUNNING,
    COMPLETE, SHUTDOWN, FAILED, REJECTED, REMOVE, ORPHANED,
    /** A state this engine version added that longshore does not know. */
    UNKNOWN;

    public static TaskState of(String s) {
        if (s == null || s.isBlank()) {
            return UNKNOWN;
        }
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return UNKNOWN;
        }
    }

    /** Not running yet, and not ended: scheduled, pulling, starting. */
    public boolean early() {
        return ordinal() <= STARTING.ordinal();
    }

    /** A container may exist and hold its ports and mounts. */
    public boolean mayHoldResources() {
        return this == PREPARING || this == READY || this == STARTING || this == RUNNING;
    }

    /** Ended: its container is stopped, or it never had one. */
    public boolean ended() {
        return ordinal() >= COMPLETE.ordinal() && this != UNKNOWN;
    }

    /** As the engine writes it. */
    public String engineName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return engineName();
    }
}
