package io.github.layercache.push;

import io.github.layercache.spec.ImageReference;
import java.time.Duration;
import java.util.List;

/**
 * What to publish: every tag of the image the build made, and the digest the build recorded.
 *
 * @param attempts how many times a push that failed for a transient reason is tried in all
 * @param firstRetryDelay the wait before the first retry; it doubles with each further one
 * @param timeout how long one {@code docker push} may take
 * @param inRegistry the image is already in the registry (a fingerprint match): tag it there instead of pushing
 */
public record PushSpec(
        ImageReference image,
        List<String> tags,
        String builtDigest,
        int attempts,
        Duration firstRetryDelay,
        Duration timeout,
        boolean inRegistry) {

    /** A push of an image in the local store. */
    public PushSpec(
            ImageReference image,
            List<String> tags,
            String builtDigest,
            int attempts,
            Duration firstRetryDelay,
            Duration timeout) {
        this(image, tags, builtDigest, attempts, firstRetryDelay, timeout, false);
    }

    public PushSpec {
        tags = List.copyOf(tags);
        if (tags.isEmpty()) {
            throw new IllegalArgumentException("nothing to push: no tags");
        }
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1");
        }
    }
}
