package io.longshore.verify.model;

import java.util.List;
import java.util.Locale;

/** The manifest and layer media types of the OCI image-spec and Docker's image manifest v2. */
public final class MediaTypes {
    private MediaTypes() {}

    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_SCHEMA1 = "application/vnd.docker.distribution.manifest.v1+json";
    public static final String DOCKER_SCHEMA1_SIGNED = "application/vnd.docker.distribution.manifest.v1+prettyjws";
    public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    public static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    public static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";
    public static final String IN_TOTO = "application/vnd.in-toto+json";

    /** What a manifest GET accepts: both index kinds and both image manifest kinds. */
    public static final List<String> ACCEPTED = List.of(OCI_INDEX, OCI_MANIFEST, DOCKER_MANIFEST_LIST, DOCKER_MANIFEST);

    public static String acceptHeader() {
        return String.join(", ", ACCEPTED);
    }

    public static boolean isIndex(String mediaType) {
        return OCI_INDEX.equals(mediaType) || DOCKER_MANIFEST_LIST.equals(mediaType);
    }

    public static boolean isImageManifest(String mediaType) {
        return OCI_MANIFEST.equals(mediaType) || DOCKER_MANIFEST.equals(mediaType);
    }

    public static boolean isManifest(String mediaType) {
        return isIndex(mediaType) || isImageManifest(mediaType);
    }

    public static boolean isSchema1(String mediaType) {
        return DOCKER_SCHEMA1.equals(mediaType) || DOCKER_SCHEMA1_SIGNED.equals(mediaType);
    }

    /** Layers a registry need not hold (Windows base layers and the like): fetched from their urls, if at all. */
    public static boolean isNonDistributable(String mediaType) {
        return mediaType != null && (mediaType.startsWith("application/vnd.oci.image.layer.nondistributable.")
                || mediaType.startsWith("application/vnd.docker.image.rootfs.foreign."));
    }

    /** The media type part of a Content-Type header: parameters dropped, lower case. */
    public static String essence(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semi = contentType.indexOf(';');
        String t = (semi >= 0 ? contentType.substring(0, semi) : contentType).trim().toLowerCase(Locale.ROOT);
        return t.isEmpty() ? null : t;
    }

    /** A short human name for tree lines. */
    public static String describe(String mediaType) {
        if (mediaType == null) {
            return "unknown type";
        }
        return switch (mediaType) {
            case OCI_INDEX -> "OCI index";
            case DOCKER_MANIFEST_LIST -> "Docker manifest list";
            case OCI_MANIFEST -> "OCI manifest";
            case DOCKER_MANIFEST -> "Docker manifest";
            default -> mediaType;
        };
    }
}
