package io.github.layercache.push;

import io.github.layercache.auth.DockerConfigLocation;
import io.github.layercache.auth.RegistryLogin;
import io.github.layercache.buildx.BuildOutcome;
import io.github.layercache.core.LayercacheException;
import io.github.layercache.docker.DockerCli;
import io.github.layercache.log.BuildLog;
import io.github.layercache.registry.ManifestTagger;
import io.github.layercache.spec.BuildSpec;
import java.util.List;
import java.util.Objects;

/**
 * The {@code push} goal's run: logs in to the image's registry, has the {@link TagPusher} put every tag there, and
 * then writes the fingerprint mark, last, once the image is complete in the registry.
 */
public final class PushRunner {

    private final DockerCli docker;
    private final RegistryLogin registries;
    private final DockerConfigLocation dockerConfig;
    private final BuildLog log;

    public PushRunner(DockerCli docker, RegistryLogin registries, DockerConfigLocation dockerConfig, BuildLog log) {
        this.docker = docker;
        this.registries = registries;
        this.dockerConfig = dockerConfig;
        this.log = log;
    }

    /** Publishes a built image; {@code built} must have a digest. */
    public PushOutcome publish(BuildOutcome built, PushAttempts attempts)
            throws LayercacheException, InterruptedException {
        BuildSpec spec = built.spec();
        String digest = built.digest().orElseThrow(() -> new IllegalArgumentException("no digest to publish"));
        try (RegistryLogin.Session session =
                registries.open(spec.image().registryHost().stream().toList(), dockerConfig)) {
            ManifestTagger tagger = new ManifestTagger(session::credential, attempts.timeout());
            TagPusher pusher = new TagPusher(docker, log, tagger);
            // A reused image, and one BuildKit pushed by digest, are in the registry already: only tags go there.
            boolean inRegistry = built.reused() || spec.output() == BuildSpec.Output.REGISTRY;
            PushOutcome outcome =
                    pusher.push(pushSpec(spec, spec.tags(), digest, inRegistry, attempts), session.docker());
            if (spec.fingerprintTag() != null && !built.reused()) {
                // The mark a later build with these inputs looks for: only once the image is complete,
                // and only a saving for later, so a mark that cannot be written costs a warning.
                try {
                    tagger.mark(
                            spec.image(),
                            outcome.digest(),
                            spec.fingerprintTag(),
                            Objects.toString(built.fingerprint(), ""));
                } catch (LayercacheException e) {
                    log.warn("Published " + spec.image().name() + "@" + outcome.digest() + ", but could not write its"
                            + " fingerprint mark " + spec.fingerprintTag() + " (" + e.getMessage()
                            + "): a later build with the same inputs builds again instead of reusing it.");
                }
            }
            return outcome;
        }
    }

    private static PushSpec pushSpec(
            BuildSpec spec, List<String> tags, String digest, boolean inRegistry, PushAttempts attempts) {
        return new PushSpec(spec.image(), tags, digest, attempts, inRegistry);
    }
}
