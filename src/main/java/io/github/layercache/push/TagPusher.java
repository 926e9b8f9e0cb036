package io.github.layercache.push;

import io.github.layercache.core.LayercacheException;
import io.github.layercache.docker.DockerCli;
import io.github.layercache.docker.DockerCli.Command;
import io.github.layercache.docker.DockerCli.Echo;
import io.github.layercache.docker.DockerCommands;
import io.github.layercache.docker.DockerEnvironment;
import io.github.layercache.docker.DockerErrors;
import io.github.layercache.docker.RegistryImages;
import io.github.layercache.log.BuildLog;
import io.github.layercache.process.CapturedRun;
import io.github.layercache.registry.ManifestTagger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Puts every tag of the image {@code build} made into the registry: the very image that was built, never a rebuild.
 * An image the registry already has (reused, or sent by digest by BuildKit) only gets its tags there: through the
 * registry's API when the {@link ManifestTagger} can, so that each tag names the built digest, else with
 * {@code docker buildx imagetools create}. An image in the local image store goes up with {@code docker push}, tag by
 * tag. Transient failures are retried with a doubling delay; a refusal (credentials, an immutable tag, an unknown
 * repository) fails at once. The digest the registry serves is read back, unless its API confirmed every tag at the
 * built digest.
 */
public final class TagPusher {

    /** Waits between attempts; tests replace it. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final DockerCli docker;
    private final BuildLog log;
    private final Sleeper sleeper;
    private final ManifestTagger tagger;
    private boolean taggerRefused;

    /** @param tagger see {@link #TagPusher(DockerCli, BuildLog, Sleeper, ManifestTagger)} */
    public TagPusher(DockerCli docker, BuildLog log, ManifestTagger tagger) {
        this(docker, log, duration -> Thread.sleep(duration.toMillis()), tagger);
    }

    /**
     * @param tagger tags images the registry already has through its API, byte for byte; null (or
     *     credentials it cannot use) leaves that to {@code docker buildx imagetools create}
     */
    public TagPusher(DockerCli docker, BuildLog log, Sleeper sleeper, ManifestTagger tagger) {
        this.docker = docker;
        this.log = log;
        this.sleeper = sleeper;
        this.tagger = tagger;
    }

    /**
     * Pushes every tag and returns what the registry then serves.
     *
     * @param environment the goal's docker environment (e.g. {@code DOCKER_CONFIG}); never on the command line
     */
    public PushOutcome push(PushSpec spec, DockerEnvironment environment)
            throws LayercacheException, InterruptedException {
        if (!spec.inRegistry()) {
            checkLocalImage(spec, environment);
        }
        List<String> pushed = new ArrayList<>();
        int taggedThroughTheApi = 0;
        for (String tag : spec.tags()) {
            if (pushWithRetries(spec, tag, pushed, environment)) {
                taggedThroughTheApi++;
            }
            pushed.add(spec.image().withTag(tag));
        }
        // The registry confirmed each tag the tagger put at the built digest; anything else is read back.
        String digest =
                taggedThroughTheApi == spec.tags().size() ? spec.builtDigest() : registryDigest(spec, environment);
        if (!digest.equals(spec.builtDigest())) {
            log.warn("The registry serves " + digest + " for " + spec.image() + ", while the build recorded "
                    + spec.builtDigest() + ": the local image store re-encoded the image on push (the classic image"
                    + " store does). The registry's digest is the one recorded.");
        }
        log.info("Pushed " + String.join(", ", pushed) + " (" + digest + ")");
        return new PushOutcome(spec, digest);
    }

    /** Every tag must be in the local store and name one image: otherwise nothing is pushed at all. */
    private void checkLocalImage(PushSpec spec, DockerEnvironment environment)
            throws LayercacheException, InterruptedException {
        Set<String> ids = new LinkedHashSet<>();
        for (String tag : spec.tags()) {
            String ref = spec.image().withTag(tag);
            CapturedRun run = docker.capture(DockerCommands.localImageId(ref), environment, Echo.DEBUG);
            if (!run.succeeded()) {
                throw new LayercacheException("The image " + ref + " is not in the local image store ("
                        + DockerErrors.lastErrorLine(run) + "). push"
                        + " publishes what build loaded: keep load on and run build in the same Maven"
                        + " invocation.");
            }
            ids.add(run.lines().isEmpty() ? "" : run.lines().get(0).trim());
        }
        if (ids.size() > 1) {
            throw new LayercacheException("The tags of " + spec.image() + " name different local images " + ids
                    + ": something re-tagged them after the build. Nothing was pushed.");
        }
        String id = ids.iterator().next();
        if (!id.equals(spec.builtDigest())) {
            log.debug("Local image id " + id + " differs from the build digest " + spec.builtDigest()
                    + " (expected with the classic image store)");
        }
    }

    /** Pushes or tags one tag, retrying transient failures; true when the registry's API took the tag. */
    private boolean pushWithRetries(PushSpec spec, String tag, List<String> pushed, DockerEnvironment environment)
            throws LayercacheException, InterruptedException {
        String ref = spec.image().withTag(tag);
        Duration delay = spec.tries().firstRetryDelay();
        for (int attempt = 1; ; attempt++) {
            Attempt tried = pushOnce(spec, tag, environment);
            if (tried.failure().isEmpty()) {
                return tried.throughTheApi();
            }
            String reason = tried.failure().get();
            Optional<String> refusal = DockerErrors.pushRefusal(reason);
            if (refusal.isPresent()) {
                throw new PushRejectedException(
                        "The registry refused " + ref + ": " + reason + ". " + refusal.get() + alreadyPushed(pushed));
            }
            if (attempt >= spec.tries().attempts()) {
                throw new LayercacheException(
                        "Could not push " + ref + " after " + attempt + (attempt == 1 ? " attempt: " : " attempts: ")
                                + reason + "." + alreadyPushed(pushed),
                        "pushRetries");
            }
            log.warn("Pushing " + ref + " failed (" + reason + "); retrying in " + delay.toSeconds() + " s (attempt "
                    + (attempt + 1) + " of " + spec.tries().attempts() + ")");
            sleeper.sleep(delay);
            delay = delay.multipliedBy(2);
        }
    }

    /** How one try went: why it failed, if it did, and whether the registry's API took the tag. */
    private record Attempt(Optional<String> failure, boolean throughTheApi) {}

    /**
     * One try. An image the registry already has gets its tag
     * there, nothing uploaded: through the registry's API when the tagger can, so that the tag names
     * the very digest; else with imagetools, which wraps a single manifest in an index.
     */
    private Attempt pushOnce(PushSpec spec, String tag, DockerEnvironment environment)
            throws LayercacheException, InterruptedException {
        if (spec.inRegistry() && tagger != null && !taggerRefused) {
            try {
                tagger.tag(spec.image(), spec.builtDigest(), tag);
                return new Attempt(Optional.empty(), true);
            } catch (ManifestTagger.NotAuthorized e) {
                taggerRefused = true;
                log.warn(e.getMessage() + ": tagging with docker buildx imagetools create instead, which wraps the"
                        + " image in an index of its own digest. Log in to the registry with docker login, or give"
                        + " the plugin its credentials (a settings.xml server), for the built digest to ship.");
            } catch (LayercacheException e) {
                return new Attempt(Optional.of(e.getMessage()), false);
            }
        }
        String ref = spec.image().withTag(tag);
        Command command = spec.inRegistry()
                ? DockerCommands.tagInRegistry(
                        ref,
                        spec.image().name() + "@" + spec.builtDigest(),
                        spec.tries().timeout())
                : DockerCommands.push(ref, spec.tries().timeout());
        CapturedRun run = docker.capture(command, environment, Echo.INFO);
        return new Attempt(run.succeeded() ? Optional.empty() : Optional.of(DockerErrors.lastErrorLine(run)), false);
    }

    private static String alreadyPushed(List<String> pushed) {
        return pushed.isEmpty() ? " Nothing was pushed." : " Already pushed: " + String.join(", ", pushed) + ".";
    }

    /** The digest the registry serves for every tag; they must agree. */
    private String registryDigest(PushSpec spec, DockerEnvironment environment)
            throws LayercacheException, InterruptedException {
        RegistryImages registry = new RegistryImages(docker);
        Set<String> digests = new LinkedHashSet<>();
        for (String tag : spec.tags()) {
            String ref = spec.image().withTag(tag);
            Optional<String> digest;
            try {
                digest = registry.digest(ref, environment);
            } catch (LayercacheException e) {
                throw new LayercacheException(
                        "Pushed " + ref + " but cannot read it back from the registry: " + e.getMessage());
            }
            digests.add(digest.orElseThrow(() -> new LayercacheException(
                    "Pushed " + ref + " but cannot read it back from the registry: the tag is not found there.")));
        }
        if (digests.size() > 1) {
            throw new LayercacheException("After the push the tags of " + spec.image() + " name different digests "
                    + digests + ": another build pushed at the same time.");
        }
        return digests.iterator().next();
    }
}
