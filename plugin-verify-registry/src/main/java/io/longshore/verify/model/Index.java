package io.longshore.verify.model;

import java.util.List;

/** An image index (OCI) or manifest list (Docker): the children, usually one per platform. */
public record Index(String mediaType, List<Descriptor> manifests, Descriptor subject) {
    public Index {
        manifests = List.copyOf(manifests);
    }
}
