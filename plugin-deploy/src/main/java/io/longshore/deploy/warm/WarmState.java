package io.longshore.deploy.warm;

import java.time.Instant;
import java.util.List;

/**
 * longshore's record of a warm app, kept on the engine ({@link WarmStore}): what it deployed, the
 * last release that passed its health gate, the one last-good volume snapshot, and the phase a
 * reconcile was in — so one that was killed part-way is completed by the next.
 */
public record WarmState(String stack, String deployed, String lastGood, Phase phase, Snapshot snapshot, Instant at) {

    public static WarmState none(String stack) {
        return new WarmState(stack, null, null, Phase.IDLE, null, null);
    }

    /**
     * What a reconcile was doing when it wrote this: nothing, upgrading {@code from} → {@code to}
     * (services removed, snapshot {@code snapshot} taken or being taken), or rolling back to {@code from}.
     */
    public record Phase(String action, String from, String to, String snapshot) {
        public static final Phase IDLE = new Phase("idle", null, null, null);

        public static Phase upgrading(String from, String to, String snapshot) {
            return new Phase("upgrading", from, to, snapshot);
        }

        public static Phase rollingBack(String to, String from, String snapshot) {
            return new Phase("rolling-back", to, from, snapshot);
        }

        public boolean idle() {
            return "idle".equals(action);
        }

        public boolean rollingBack() {
            return "rolling-back".equals(action);
        }
    }

    /** The last-good snapshot: one copy volume per app volume, with what each held when it was taken. */
    public record Snapshot(String id, String version, Instant takenAt, List<SnapshotVolume> volumes) {
        public Snapshot {
            volumes = List.copyOf(volumes);
        }

        public long bytes() {
            return volumes.stream().mapToLong(SnapshotVolume::bytes).sum();
        }
    }

    /** {@code volume} (the app's) was copied into {@code copy}; {@code sha256} is {@link TarDigest}'s. */
    public record SnapshotVolume(String volume, String copy, long bytes, int files, String sha256) {}

    public WarmState with(String deployed, String lastGood, Phase phase, Snapshot snapshot, Instant at) {
        return new WarmState(stack, deployed, lastGood, phase, snapshot, at);
    }
}
