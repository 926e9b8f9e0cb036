package io.github.layercache.image;

import io.github.layercache.core.LayercacheException;
import io.github.layercache.docker.DockerEnvironment;
import io.github.layercache.docker.RegistryImages;
import io.github.layercache.fingerprint.Fingerprint;
import io.github.layercache.log.BuildLog;
import io.github.layercache.registry.ManifestTagger;
import io.github.layercache.spec.BuildSpec;
import io.github.layercache.spec.DockerfileBaseImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether a build can be skipped: fingerprints its inputs and asks the registry for the
 * mark of that fingerprint, and for the image it points at. Anything that goes wrong here only means "build": a check
 * that cannot be made never fails the build.
 */
public final class ReuseCheck {

    private final RegistryImages registry;
    private final BuildLog log;
    private final DockerEnvironment environment;

    /** @param environment the goal's docker environment (the registry login) */
    public ReuseCheck(RegistryImages registry, BuildLog log, DockerEnvironment environment) {
        this.registry = registry;
        this.log = log;
        this.environment = environment;
    }

    /**
     * The fingerprint of the build's inputs, or empty (with the reason logged) when it cannot be made.
     *
     * @param settings everything but the base image digests, which this adds when {@code withBaseImages}
     */
    public Optional<Fingerprint> fingerprint(BuildSpec spec, Fingerprint.Settings settings, boolean withBaseImages)
            throws InterruptedException {
        try {
            List<String> baseImages = new ArrayList<>();
            if (withBaseImages) {
                String dockerfile = Files.readString(spec.dockerfile(), StandardCharsets.UTF_8);
                for (String image : DockerfileBaseImages.of(dockerfile, spec.buildArgs())) {
                    Optional<String> digest = registry.digest(image, environment);
                    if (digest.isEmpty()) {
                        log.warn("Base image " + image
                                + " is not in its registry: building without the fingerprint check.");
                        return Optional.empty();
                    }
                    baseImages.add(image + "@" + digest.get());
                }
            }
            Fingerprint inputs = Fingerprint.of(
                    spec,
                    new Fingerprint.Settings(
                            settings.pluginVersion(),
                            settings.volatileBuildArgs(),
                            baseImages,
                            settings.pluginOutput()));
            log.debug("Fingerprint of the inputs: " + inputs.value());
            return Optional.of(inputs);
        } catch (IOException | LayercacheException e) {
            log.warn("Cannot fingerprint the build's inputs (" + e.getMessage() + "): building without the check.");
            return Optional.empty();
        }
    }

    /** The digest of the image the spec's fingerprint mark in the registry points at, if there is one. */
    public Optional<String> existingImage(BuildSpec spec) throws InterruptedException {
        try {
            Optional<String> digest = registry.markedImage(
                    spec.image().withTag(spec.fingerprintTag()), ManifestTagger.MARK_ARTIFACT_TYPE, environment);
            if (digest.isEmpty()) {
                log.info("No image with these inputs in the registry yet (" + spec.fingerprintTag() + "): building.");
            }
            return digest;
        } catch (LayercacheException e) {
            log.warn("Cannot check the registry for an image with these inputs (" + e.getMessage() + "): building.");
            return Optional.empty();
        }
    }
}
