package io.longshore.verify.model;

/** What a manifest body turned out to be. Parsing never throws: a bad body is a value too. */
public sealed interface Document {
    record OfIndex(Index index) implements Document {}

    record OfManifest(Manifest manifest) implements Document {}

    /** Docker image manifest schema 1: deprecated, never verified. */
    record Schema1(String mediaType) implements Document {}

    record Invalid(String reason) implements Document {}
}
