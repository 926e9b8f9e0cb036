package io.github.layercache.push;

import io.github.layercache.core.LayercacheException;
import io.github.layercache.json.Json;
import io.github.layercache.log.BuildLog;
import io.github.layercache.process.CapturedRun;
import io.github.layercache.process.ProcessRunner;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Publishes the tags of an image that {@code build} loaded into the local image store, with
 * {@code docker push}: the very image that was built, never a rebuild. Transient failures are
 * retried with a doubling delay; a refusal (credentials, an immutable tag) fails at once. The
 * digest is then read back from the registry.
 */
public final class ImagePusher {

    /** Waits between attempts; tests replace it. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private static final Duration QUICK = Duration.ofMinutes(1);
    private static final Pattern PUSHED_DIGEST = Pattern.compile(": digest: (sha256:[0-9a-f]{64})");
    private static final List<String> AUTH_REFUSALS =
            List.of("denied", "unauthorized", "authentication required", "no basic auth credentials", "forbidden");
    private static final List<String> TAG_REFUSALS = List.of("immutable", "cannot be overwritten", "tag invalid");
    private static final List<String> NAME_REFUSALS =
            List.of("name unknown", "repository does not exist", "invalid reference format", "name invalid");

    private final ProcessRunner runner;
    private final String docker;
    private final BuildLog log;
    private final Sleeper sleeper;

    public ImagePusher(ProcessRunner runner, String docker, BuildLog log) {
        this(runner, docker, log, duration -> Thread.sleep(duration.toMillis()));
    }

    public ImagePusher(ProcessRunner runner, String docker, BuildLog log, Sleeper sleeper) {
        this.runner = runner;
        this.docker = docker;
        this.log = log;
        this.sleeper = sleeper;
    }

    /**
     * Pushes every tag and returns what the registry then serves.
     *
     * @param environment variables for docker (e.g. {@code DOCKER_CONFIG}); never on its command line
     * @param redactions secrets masked should docker ever print them
     */
    public PushOutcome push(PushSpec spec, Map<String, String> environment, Set<String> redactions)
            throws LayercacheException, InterruptedException {
        if (!spec.inRegistry()) {
            checkLocalImage(spec, environment, redactions);
        }
        List<String> pushed = new ArrayList<>();
        for (String tag : spec.tags()) {
            pushWithRetries(spec, spec.image().withTag(tag), pushed, environment, redactions);
            pushed.add(spec.image().withTag(tag));
        }
        String digest = registryDigest(spec, environment, redactions);
        if (!digest.equals(spec.builtDigest())) {
            log.warn("The registry serves " + digest + " for " + spec.image() + ", while the build recorded "
                    + spec.builtDigest() + ": the local image store re-encoded the image on push (the classic image"
                    + " store does). The registry's digest is the one recorded.");
        }
        log.info("Pushed " + String.join(", ", pushed) + " (" + digest + ")");
        return new PushOutcome(spec, digest);
    }

    /** Every tag must be in the local store and name one image: otherwise nothing is pushed at all. */
    private void checkLocalImage(PushSpec spec, Map<String, String> environment, Set<String> redactions)
            throws LayercacheException, InterruptedException {
        Set<String> ids = new LinkedHashSet<>();
        for (String tag : spec.tags()) {
            String ref = spec.image().withTag(tag);
            CapturedRun run = capture(
                    List.of(docker, "image", "inspect", "--format", "{{.Id}}", ref), QUICK, environment, redactions);
            if (!run.succeeded()) {
                throw new LayercacheException(
                        "The image " + ref + " is not in the local image store (" + run.lastErrorLine() + "). push"
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

    private void pushWithRetries(
            PushSpec spec, String ref, List<String> pushed, Map<String, String> environment, Set<String> redactions)
            throws LayercacheException, InterruptedException {
        Duration delay = spec.firstRetryDelay();
        // An image the registry already has gets its tags there: nothing is uploaded.
        List<String> command = spec.inRegistry()
                ? List.of(
                        docker,
                        "buildx",
                        "imagetools",
                        "create",
                        "--tag",
                        ref,
                        spec.image().name() + "@" + spec.builtDigest())
                : List.of(docker, "push", ref);
        for (int attempt = 1; ; attempt++) {
            Optional<String> failure = pushOnce(command, spec.timeout(), environment, redactions);
            if (failure.isEmpty()) {
                return;
            }
            String reason = failure.get();
            Optional<String> refusal = refusal(reason);
            if (refusal.isPresent()) {
                throw new PushRejectedException(
                        "The registry refused " + ref + ": " + reason + ". " + refusal.get() + alreadyPushed(pushed));
            }
            if (attempt >= spec.attempts()) {
                throw new LayercacheException(
                        "Could not push " + ref + " after " + attempt + (attempt == 1 ? " attempt: " : " attempts: ")
                                + reason + "." + alreadyPushed(pushed),
                        "pushRetries");
            }
            log.warn("Pushing " + ref + " failed (" + reason + "); retrying in " + delay.toSeconds() + " s (attempt "
                    + (attempt + 1) + " of " + spec.attempts() + ")");
            sleeper.sleep(delay);
            delay = delay.multipliedBy(2);
        }
    }

    /** Empty when the push worked, else why it failed. */
    private Optional<String> pushOnce(
            List<String> command, Duration timeout, Map<String, String> environment, Set<String> redactions)
            throws LayercacheException, InterruptedException {
        log.debug("Running " + String.join(" ", command));
        try {
            CapturedRun run = CapturedRun.of(runner, command, timeout, environment, redactions, BuildLog::info, log);
            return run.succeeded() ? Optional.empty() : Optional.of(run.lastErrorLine());
        } catch (IOException e) {
            throw LayercacheException.cannotRunDocker(docker, e);
        }
    }

    /** What to do about a refusal that retrying cannot fix, or empty for a failure worth retrying. */
    static Optional<String> refusal(String reason) {
        String lower = reason.toLowerCase(Locale.ROOT);
        if (TAG_REFUSALS.stream().anyMatch(lower::contains)) {
            return Optional.of("The tag already exists and the repository does not let it move (immutable tags):"
                    + " push a new tag, such as the version or the commit, or make the tags mutable.");
        }
        if (AUTH_REFUSALS.stream().anyMatch(lower::contains)) {
            return Optional.of("Check the credentials for this registry and that they may push to the repository.");
        }
        if (NAME_REFUSALS.stream().anyMatch(lower::contains)) {
            return Optional.of("Check the image repository name, and create the repository if the registry"
                    + " does not create it on push (Amazon ECR does not).");
        }
        return Optional.empty();
    }

    private static String alreadyPushed(List<String> pushed) {
        return pushed.isEmpty() ? " Nothing was pushed." : " Already pushed: " + String.join(", ", pushed) + ".";
    }

    /** The digest the registry serves for every tag; they must agree. */
    private String registryDigest(PushSpec spec, Map<String, String> environment, Set<String> redactions)
            throws LayercacheException, InterruptedException {
        RegistryImages registry = new RegistryImages(runner, docker, log);
        Set<String> digests = new LinkedHashSet<>();
        for (String tag : spec.tags()) {
            String ref = spec.image().withTag(tag);
            Optional<String> digest;
            try {
                digest = registry.digest(ref, environment, redactions);
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

    static String manifestDigest(String json, String ref) throws LayercacheException {
        try {
            Object digest = Json.parseObject(json).get("digest");
            if (digest instanceof String s && s.startsWith("sha256:")) {
                return s;
            }
        } catch (IllegalArgumentException e) {
            // fall through to the message below
        }
        Matcher pushedLine = PUSHED_DIGEST.matcher(json);
        if (pushedLine.find()) {
            return pushedLine.group(1);
        }
        throw new LayercacheException("The registry's answer for " + ref + " holds no digest: " + json);
    }

    private CapturedRun capture(
            List<String> argv, Duration timeout, Map<String, String> environment, Set<String> redactions)
            throws LayercacheException, InterruptedException {
        log.debug("Running " + String.join(" ", argv));
        try {
            return CapturedRun.of(runner, argv, timeout, environment, redactions, BuildLog::debug, log);
        } catch (IOException e) {
            throw LayercacheException.cannotRunDocker(docker, e);
        }
    }
}
