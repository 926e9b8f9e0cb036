package io.github.layercache.inputs;

/**
 * A Dockerfile step as BuildKit showed it in its progress output.
 *
 * @param stage its stage label ({@code deps}, {@code stage-1}), empty for a Dockerfile of one stage
 * @param index its number in the stage
 * @param name the whole name, e.g. {@code [deps 3/5] RUN mvn -B dependency:go-offline}
 * @param text the instruction as BuildKit shows it (build arguments expanded); for a {@code FROM},
 *     the resolved {@code image@digest}
 * @param from whether it is the stage's {@code FROM}
 * @param cached whether BuildKit marked it {@code CACHED}
 * @param pulledLayers whether it downloaded or extracted layers and ran nothing: how BuildKit shows a
 *     cache hit whose layers a later step needs (it is not marked {@code CACHED} then)
 */
public record StepRun(
        String stage, int index, String name, String text, boolean from, boolean cached, boolean pulledLayers) {}
