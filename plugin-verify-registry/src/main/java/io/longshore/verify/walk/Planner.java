package io.longshore.verify.walk;

import io.longshore.verify.model.Descriptor;
import io.longshore.verify.model.Index;
import io.longshore.verify.model.Manifest;
import io.longshore.verify.model.ManifestParser;
import io.longshore.verify.model.MediaTypes;
import io.longshore.verify.model.Platform;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What to do with each descriptor of an index or image manifest — pure, no registry: the walk's
 * plan, table-tested on its own. The walker carries the steps out.
 */
public final class Planner {
    private Planner() {}

    public static List<Step> plan(Index index, String selfDigest, WalkOptions options) {
        Set<String> selected = new HashSet<>();
        if (!options.platforms().isEmpty()) {
            for (Descriptor d : index.manifests()) {
                if (d.platform() != null && !d.isAttestation()
                        && options.platforms().stream().anyMatch(f -> d.platform().matches(f))) {
                    selected.add(d.digest());
                }
            }
        }
        List<Step> steps = new ArrayList<>();
        int i = 0;
        for (Descriptor d : index.manifests()) {
            String label = childLabel(d, i++);
            Optional<String> problem = d.problem();
            if (problem.isPresent()) {
                steps.add(new Step.Skip(d, label, new Finding.Malformed(d.digest(), "invalid descriptor: " + problem.get())));
            } else if (d.digest().equals(selfDigest)) {
                steps.add(new Step.Skip(d, label, new Finding.Malformed(d.digest(), "the index lists itself as a child")));
            } else if (!options.platforms().isEmpty() && !isSelected(d, selected)) {
                steps.add(new Step.Skip(d, label, new Finding.Skipped(d.digest(), "not in platforms")));
            } else if (MediaTypes.isSchema1(d.mediaType())) {
                steps.add(new Step.Skip(d, label, new Finding.Unsupported(d.digest(),
                        "Docker schema 1 manifest: unsupported and deprecated; push the image again with current tooling")));
            } else if (!MediaTypes.isManifest(d.mediaType())) {
                steps.add(new Step.Skip(d, label, new Finding.Skipped(d.digest(),
                        "child of unknown media type " + d.mediaType() + " not walked (forward compatibility)")));
            } else if (d.size() > ManifestParser.MAX_MANIFEST_BYTES) {
                steps.add(new Step.Skip(d, label, new Finding.Malformed(d.digest(),
                        "declares a manifest of " + d.size() + " bytes, over the 4 MiB limit")));
            } else {
                steps.add(new Step.WalkManifest(d, label));
            }
        }
        return steps;
    }

    public static List<Step> plan(Manifest manifest, String selfDigest) {
        List<Step> steps = new ArrayList<>();
        steps.add(blob(manifest.config(), "config", Node.Kind.CONFIG, selfDigest));
        int i = 0;
        for (Descriptor d : manifest.layers()) {
            String label = "layer " + (++i);
            if (d.problem().isEmpty() && MediaTypes.isNonDistributable(d.mediaType()) && !d.urls().isEmpty()) {
                steps.add(new Step.Skip(d, label, new Finding.Skipped(d.digest(),
                        "non-distributable layer: its data is at " + d.urls().get(0) + ", not in the registry")));
            } else {
                steps.add(blob(d, label, Node.Kind.LAYER, selfDigest));
            }
        }
        return steps;
    }

    private static Step blob(Descriptor d, String label, Node.Kind kind, String selfDigest) {
        Optional<String> problem = d.problem();
        if (problem.isPresent()) {
            return new Step.Skip(d, label, new Finding.Malformed(d.digest(), "invalid descriptor: " + problem.get()));
        }
        if (d.digest().equals(selfDigest)) {
            return new Step.Skip(d, label, new Finding.Malformed(d.digest(), "the manifest lists itself as a blob"));
        }
        return new Step.CheckBlob(d, label, kind);
    }

    private static boolean isSelected(Descriptor d, Set<String> selected) {
        return selected.contains(d.digest()) || (d.isAttestation() && selected.contains(d.attests()));
    }

    static String childLabel(Descriptor d, int position) {
        if (d.isAttestation()) {
            String of = d.attests();
            return "attestation" + (of == null ? "" : " of " + shortDigest(of));
        }
        Platform p = d.platform();
        if (p != null && p.os() != null && p.architecture() != null) {
            return p.toString();
        }
        return d.artifactType() != null ? d.artifactType() : "child " + (position + 1);
    }

    static String shortDigest(String digest) {
        int colon = digest.indexOf(':');
        return colon >= 0 && digest.length() > colon + 13 ? digest.substring(0, colon + 13) : digest;
    }
}
