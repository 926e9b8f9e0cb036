package io.github.layercache.docker;

import io.github.layercache.core.JsonDocuments;
import io.github.layercache.core.LayercacheException;
import io.github.layercache.docker.DockerCli.Echo;
import io.github.layercache.process.CapturedRun;
import java.io.IOException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/** Asks a registry which digest a tag names, with {@code docker buildx imagetools inspect}: nothing is pulled. */
public final class RegistryImages {

    private static final Pattern PUSHED_DIGEST = Pattern.compile(": digest: (sha256:[0-9a-f]{64})");

    private final DockerCli docker;

    public RegistryImages(DockerCli docker) {
        this.docker = docker;
    }

    /**
     * The digest the registry serves for {@code ref}, or empty when it has no such tag or repository.
     *
     * @throws LayercacheException when the registry cannot be asked (unreachable, refused)
     */
    public Optional<String> digest(String ref, DockerEnvironment environment)
            throws LayercacheException, InterruptedException {
        CapturedRun run = docker.capture(DockerCommands.registryManifest(ref), environment, Echo.DEBUG);
        if (run.succeeded()) {
            return Optional.of(manifestDigest(run.output(), ref));
        }
        String reason = DockerErrors.lastErrorLine(run);
        if (DockerErrors.notFound(reason)) {
            return Optional.empty();
        }
        throw new LayercacheException("Cannot ask the registry about " + ref + ": " + reason);
    }

    /**
     * The image a fingerprint mark points at ({@code ref} is the mark's {@code repository:tag}), when
     * the mark is there and the image it names still is; empty otherwise, an image tagged directly
     * with the mark's tag included (an earlier plugin version's mark, which is built over).
     *
     * @throws LayercacheException when the registry cannot be asked (unreachable, refused)
     */
    public Optional<String> markedImage(String ref, String artifactType, DockerEnvironment environment)
            throws LayercacheException, InterruptedException {
        CapturedRun run = docker.capture(DockerCommands.rawRegistryManifest(ref), environment, Echo.DEBUG);
        if (!run.succeeded()) {
            if (DockerErrors.notFound(DockerErrors.lastErrorLine(run))) {
                return Optional.empty();
            }
            throw new LayercacheException(
                    "Cannot ask the registry about " + ref + ": " + DockerErrors.lastErrorLine(run));
        }
        Optional<String> subject;
        try {
            JsonNode mark = JsonDocuments.tree(run.output());
            subject = artifactType.equals(mark.path("artifactType").asString(""))
                    ? Optional.of(mark.path("subject").path("digest").asString(""))
                            .filter(d -> d.startsWith("sha256:"))
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
        if (subject.isEmpty()) {
            return Optional.empty();
        }
        String repository = ref.substring(0, ref.lastIndexOf(':'));
        return digest(repository + "@" + subject.get(), environment);
    }

    /** The digest in imagetools' JSON answer, or in a {@code docker push} line ({@code 1: digest: sha256:… size: …}). */
    static String manifestDigest(String answer, String ref) throws LayercacheException {
        Optional<String> digest = JsonDocuments.field(answer, "digest").filter(d -> d.startsWith("sha256:"));
        if (digest.isPresent()) {
            return digest.get();
        }
        Matcher pushedLine = PUSHED_DIGEST.matcher(answer);
        if (pushedLine.find()) {
            return pushedLine.group(1);
        }
        throw new LayercacheException("The registry's answer for " + ref + " holds no digest: " + answer);
    }
}
