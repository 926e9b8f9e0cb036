package io.github.layercache.push;

import java.util.ArrayList;
import java.util.List;

/**
 * What the registry holds after a push: the digest it serves for the tags, and every reference a
 * deployment step can use.
 */
public record PushOutcome(PushSpec spec, String digest) {

    /** {@code repo@digest} first (immutable), then {@code repo:tag} for each tag. */
    public List<String> references() {
        List<String> references = new ArrayList<>();
        references.add(spec.image().name() + "@" + digest);
        spec.tags().forEach(tag -> references.add(spec.image().withTag(tag)));
        return references;
    }
}
