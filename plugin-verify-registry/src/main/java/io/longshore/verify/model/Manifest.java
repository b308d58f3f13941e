package io.longshore.verify.model;

import java.util.List;

/** An image manifest (OCI or Docker v2): one config and its layers; an artifact may name a subject. */
public record Manifest(String mediaType, Descriptor config, List<Descriptor> layers, Descriptor subject, String artifactType) {
    public Manifest {
        layers = List.copyOf(layers);
    }
}
