package io.longshore.verify.walk;

import io.longshore.verify.model.Descriptor;

/** One thing the walk will do for a descriptor a manifest references: the plan, before any request. */
public sealed interface Step {
    Descriptor descriptor();

    String label();

    /** Fetch the child manifest (or index) by digest and walk it. */
    record WalkManifest(Descriptor descriptor, String label) implements Step {}

    /** Check the blob: HEAD (shallow) or GET and hash (deep). */
    record CheckBlob(Descriptor descriptor, String label, Node.Kind kind) implements Step {}

    /** Do not fetch, and say why (info, or broken when the descriptor itself is invalid). */
    record Skip(Descriptor descriptor, String label, Finding finding) implements Step {}
}
