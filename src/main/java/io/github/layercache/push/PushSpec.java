package io.github.layercache.push;

import io.github.layercache.registry.ImageReference;
import java.util.List;

/**
 * What to publish: every tag of the image the build made, and the digest the build recorded.
 *
 * @param tries how each tag's push is tried
 * @param inRegistry the image is already in the registry (a fingerprint match): tag it there instead of pushing
 */
public record PushSpec(
        ImageReference image, List<String> tags, String builtDigest, PushAttempts tries, boolean inRegistry) {

    public PushSpec {
        tags = List.copyOf(tags);
        if (tags.isEmpty()) {
            throw new IllegalArgumentException("nothing to push: no tags");
        }
        if (tries.attempts() < 1) {
            throw new IllegalArgumentException("attempts must be at least 1");
        }
    }
}
