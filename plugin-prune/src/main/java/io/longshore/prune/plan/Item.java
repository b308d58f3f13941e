package io.longshore.prune.plan;

import java.time.Instant;

/** One thing prune may remove: a stopped container, a dangling image or a build cache record. */
public record Item(Kind kind, String id, String name, long sizeBytes, Instant createdAt) {
    public enum Kind {
        container, image, buildCache;

        public String plural() {
            return switch (this) {
                case container -> "stopped containers";
                case image -> "dangling images";
                case buildCache -> "build cache records";
            };
        }
    }

    public String shortId() {
        String bare = id.startsWith("sha256:") ? id.substring(7) : id;
        return bare.length() > 12 ? bare.substring(0, 12) : bare;
    }
}
