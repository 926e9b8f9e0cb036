package io.github.layercache.image;

import io.github.layercache.buildx.BuildOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What the {@code build} goal hands on to {@code push} and to the reactor table: the outcome, the
 * goal's own wall time, and the exact (masked) command line of a build that ran.
 *
 * @param command the buildx command line as shown, or empty when the image was reused
 */
public record BuildResult(BuildOutcome outcome, Duration goalTime, Optional<List<String>> command) {

    public BuildResult {
        command = command.map(List::copyOf);
    }
}
