package io.longshore.verify.walk;

import io.longshore.verify.model.Platform;
import java.util.List;

/** How deep and how wide to walk: blob GET+hash or HEAD, which index children, referrers, requests in flight. */
public record WalkOptions(boolean deep, List<Platform> platforms, boolean referrers, int concurrency) {
    public WalkOptions {
        platforms = platforms == null ? List.of() : List.copyOf(platforms);
    }

    public static WalkOptions shallow(int concurrency) {
        return new WalkOptions(false, List.of(), false, concurrency);
    }
}
