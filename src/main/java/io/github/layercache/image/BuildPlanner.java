package io.github.layercache.image;

import static io.github.layercache.core.Text.blankToNull;

import io.github.layercache.auth.RepositorySettings;
import io.github.layercache.cache.BranchCache;
import io.github.layercache.cache.CacheBackend;
import io.github.layercache.cache.CachePolicy;
import io.github.layercache.cache.CacheSpec;
import io.github.layercache.cache.GitHubActionsCache;
import io.github.layercache.core.InvalidSpecException;
import io.github.layercache.core.ParameterHints;
import io.github.layercache.fingerprint.Fingerprint;
import io.github.layercache.inputs.InputsRecord;
import io.github.layercache.log.BuildLog;
import io.github.layercache.registry.ImageReference;
import io.github.layercache.source.CiEnvironment;
import io.github.layercache.source.GitCheckout;
import io.github.layercache.source.SourceVersion;
import io.github.layercache.source.TagTemplate;
import io.github.layercache.spec.BuildSecret;
import io.github.layercache.spec.BuildSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns the {@code build} goal's configuration into a checked {@link BuildPlan}: the image name
 * derived from the module, the tags, the branch's cache, the CI rules, the labels and secrets, and
 * the warnings the configuration deserves. Runs nothing.
 */
public final class BuildPlanner {

    private final Map<String, String> environment;
    private final ParameterHints hints;
    private final BuildLog log;

    /**
     * @param environment the variables the build runs with (CI detection, secrets, commit and branch)
     * @param hints how the user sets a parameter, for messages
     */
    public BuildPlanner(Map<String, String> environment, ParameterHints hints, BuildLog log) {
        this.environment = Map.copyOf(environment);
        this.hints = hints;
        this.log = log;
    }

    /**
     * The build, or empty for a module left at the defaults that has no Dockerfile: a library or the
     * parent of many services has no image, which is said in one line.
     */
    public Optional<BuildPlan> plan(BuildRequest request) throws InvalidSpecException {
        if (hasNoDockerfile(request)) {
            log.info("No Dockerfile in " + request.image().contextDirectory()
                    + ": no image for this module (set <dockerfile>"
                    + " to build one, or "
                    + hints.property("failWithoutDockerfile").orElse("failWithoutDockerfile")
                    + "=true to make this an error).");
            return Optional.empty();
        }
        request.check();
        ImageReference repository = repository(request);
        SourceVersion source = sourceVersion(request);
        CiEnvironment ci = CiEnvironment.detect(
                environment, Optional.ofNullable(request.cache().ci()));
        BuildSpec.Builder spec = BuildSpec.builder()
                .contextDirectory(request.image().contextDirectory())
                .dockerfile(Optional.ofNullable(blankToNull(request.image().dockerfile()))
                        .map(Path::of)
                        .orElse(null))
                .image(repository)
                .tags(notThePluginsOwn(
                        TagTemplate.expand(
                                request.image().tags(),
                                request.module().project().version(),
                                source),
                        request.cache().cacheTag()))
                .buildArgs(request.buildx().buildArgs())
                .target(request.buildx().target())
                .platforms(request.buildx().platforms())
                .labels(labels(request, request.module().releaseTime()))
                .pull(request.buildx().pull())
                .noCache(request.buildx().noCache())
                .network(request.buildx().network())
                .ssh(request.buildx().ssh())
                .builderName(request.buildx().builder())
                .timeout(Duration.ofSeconds(request.buildx().timeoutSeconds()))
                .extraArgs(request.buildx().extraArgs())
                .cache(reachable(cachePolicy(request, repository, source, ci).resolve()))
                .output(output(request, ci))
                .sourceDateEpoch(SOURCE_DATE_EPOCH)
                .provenance(request.buildx().provenanceMode())
                .sbom(request.buildx().sbom())
                .metadataFile(metadataFile(request.resultFile()))
                .projectRoot(request.module().projectRoot());
        for (BuildRequest.SecretParameter secret : request.buildx().secrets()) {
            spec.secret(BuildSecret.of(
                    secret.id(), secret.file(), secret.env(), request.module().directory(), environment));
        }
        BuildSpec built = spec.build();
        warnAbout(built);
        return Optional.of(new BuildPlan(
                built,
                request.fingerprint().fingerprint()
                        ? Optional.of(new Fingerprint.Settings(
                                request.module().pluginVersion(),
                                Set.copyOf(request.fingerprint().volatileBuildArgs()),
                                List.of(),
                                request.resultFile().getParent()))
                        : Optional.empty(),
                request.fingerprint().fingerprintBaseImages(),
                request.ecr().ecrCreateRepository()
                                || request.ecr().repository().replacePolicy()
                        ? Optional.of(request.ecr().repository())
                        : Optional.empty(),
                request.resultFile(),
                new RepositorySettings(
                        false,
                        request.ecr().repository().scanOnPush(),
                        request.ecr().repository().expireDays(),
                        request.cache().cacheTag(),
                        false),
                ci.inCi(),
                request.cache().cacheExplain()
                        ? Optional.of(new InputsRecord.Settings(
                                environment.getOrDefault(InputsRecord.KEY_VARIABLE, ""),
                                request.resultFile().getParent()))
                        : Optional.empty()));
    }

    /**
     * Only a module left entirely at the defaults (its own directory as the context, no Dockerfile
     * named) has no image for want of a Dockerfile: where the user named either, a missing
     * Dockerfile is a mistake, and the spec reports it.
     */
    private static boolean hasNoDockerfile(BuildRequest request) {
        boolean contextIsTheModule = request.image()
                .contextDirectory()
                .toAbsolutePath()
                .normalize()
                .equals(request.module().directory().toAbsolutePath().normalize());
        return !request.module().failWithoutDockerfile()
                && blankToNull(request.image().dockerfile()) == null
                && contextIsTheModule
                && !Files.isRegularFile(request.image().contextDirectory().resolve("Dockerfile"));
    }

    private static ImageReference repository(BuildRequest request) throws InvalidSpecException {
        if (blankToNull(request.image().image()) != null) {
            return ImageReference.parse(request.image().image(), "image");
        }
        String name = ImageReference.repositoryName(request.module().project().artifactId());
        if (blankToNull(request.image().registry()) == null) {
            return ImageReference.parse(name, "image");
        }
        return ImageReference.parse(request.image().registry().strip().replaceAll("/+$", "") + "/" + name, "registry");
    }

    /**
     * The user's tags, none of them one the plugin writes itself: the lifecycle policy expires those,
     * and a cache or fingerprint tag would move an image's tag away.
     */
    private static List<String> notThePluginsOwn(List<String> tags, String cacheTag) throws InvalidSpecException {
        for (String tag : tags) {
            if (tag.startsWith(RepositorySettings.FINGERPRINT_TAG_PREFIX)
                    || tag.equals(cacheTag)
                    || tag.startsWith(cacheTag + "-")) {
                throw new InvalidSpecException(
                        "tags",
                        "The tag '" + tag + "' is one the plugin writes itself ('" + cacheTag + "', '" + cacheTag
                                + "-<branch>' and '" + RepositorySettings.FINGERPRINT_TAG_PREFIX + "…'), and its"
                                + " lifecycle policy expires such tags: choose another tag.");
            }
        }
        return tags;
    }

    /** The commit and branch, asked of CI's variables first and of git only when those say nothing. */
    private SourceVersion sourceVersion(BuildRequest request) {
        SourceVersion detected = SourceVersion.detect(
                environment, new GitCheckout(request.module().directory())::commitAndBranch);
        return blankToNull(request.cache().branch()) == null
                ? detected
                : new SourceVersion(
                        detected.commit(), Optional.of(request.cache().branch().strip()));
    }

    private static Map<String, String> labels(BuildRequest request, Optional<Instant> releaseTime) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (request.image().ociLabels()) {
            labels.putAll(request.module().project().ociLabels());
            releaseTime.ifPresent(time -> labels.put("org.opencontainers.image.created", time.toString()));
        }
        labels.putAll(request.image().labels());
        return labels;
    }

    /**
     * In CI the image goes straight from BuildKit to the registry, by digest: a CI machine never needs
     * it locally, and only the layers that changed cross the network. Elsewhere it is loaded for
     * {@code docker run}. {@code load} decides when the user set it.
     */
    private BuildSpec.Output output(BuildRequest request, CiEnvironment ci) {
        if (request.buildx().load() != null) {
            return request.buildx().load() ? BuildSpec.Output.LOAD : BuildSpec.Output.REGISTRY;
        }
        if (ci.inCi()) {
            log.info("CI: " + ci.description() + ", so the image goes to the registry by digest at build and gets"
                    + " its tags at push; nothing is loaded into Docker (" + hints.setting("load", "true")
                    + " loads it).");
            return BuildSpec.Output.REGISTRY;
        }
        return BuildSpec.Output.LOAD;
    }

    /**
     * BuildKit's {@code SOURCE_DATE_EPOCH} for every build: the time in the image config and history,
     * and, on BuildKit since 2025, part of the cache key of {@code WORKDIR} and every step after it. A
     * constant (1970-01-01T00:00:00Z, Jib's creation time) keeps both an unchanged rebuild's digest and
     * the cache of a release whose {@code outputTimestamp} moved; the release time goes to a label.
     */
    static final long SOURCE_DATE_EPOCH = 0;

    private CachePolicy cachePolicy(
            BuildRequest request, ImageReference repository, SourceVersion source, CiEnvironment ci)
            throws InvalidSpecException {
        BranchCache branchCache = BranchCache.choose(
                repository,
                request.cache().cacheRef(),
                request.cache().cacheTag(),
                request.cache().cachePerBranch(),
                request.cache().mainBranch(),
                source,
                hints);
        branchCache.note().ifPresent(log::info);
        List<String> imports = new ArrayList<>(branchCache.alsoRead());
        imports.addAll(request.cache().cacheFrom());
        if (request.cache().cache() && request.cache().cacheExportOnlyInCi()) {
            log.info(
                    ci.inCi()
                            ? "CI: " + ci.description() + ", so the cache is exported (cacheExportOnlyInCi)."
                            : "Not a CI build: " + ci.description() + ". The cache is read but not exported"
                                    + " (cacheExportOnlyInCi); " + hints.setting("ci", "true") + " exports it.");
        }
        return new CachePolicy(
                request.cache().cache(),
                branchCache.ref(),
                request.cache().cacheMode().strip().toLowerCase(Locale.ROOT),
                imports,
                request.cache().cacheTo(),
                request.cache().cacheExportOnlyInCi(),
                ci,
                request.cache().cacheStrict());
    }

    /** The cache without what buildx would silently leave out: a gha cache the step cannot reach. */
    private CacheSpec reachable(CacheSpec cache) throws InvalidSpecException {
        Optional<String> missing = GitHubActionsCache.missingRuntime(cache, environment);
        if (missing.isEmpty()) {
            return cache;
        }
        String message = GitHubActionsCache.message(missing.get());
        if (cache.strict()) {
            throw new InvalidSpecException(
                    "cacheStrict",
                    message.replace("Building without it.", "The cache is strict, so the build stops here."));
        }
        log.warn(message);
        return GitHubActionsCache.withoutGha(cache, "type=gha, which this step cannot reach (see the warning)");
    }

    private void warnAbout(BuildSpec spec) {
        for (String name : spec.secretLikeBuildArgs()) {
            log.warn("Build argument " + name + " looks like a secret. Build arguments are kept in the image"
                    + " history; pass it as a build secret (<secrets>, RUN --mount=type=secret) instead. Its value"
                    + " is masked in the logged command line and the result file.");
        }
        List<CacheBackend> caches = new ArrayList<>(spec.cache().imports());
        caches.addAll(spec.cache().exports());
        for (CacheBackend backend : caches) {
            if (!backend.secretParameters().isEmpty()) {
                log.warn("The " + backend.type() + " cache spec holds " + String.join(", ", backend.secretParameters())
                        + ", which puts a credential on the buildx command line where other users of the machine can"
                        + " see it. Give it through the environment instead (e.g. AWS_SECRET_ACCESS_KEY).");
            }
        }
    }

    /** buildx's metadata file, beside the result file: {@code image.json} gets {@code image-buildx-metadata.json}. */
    private static Path metadataFile(Path resultFile) {
        String name = resultFile.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return resultFile.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + "-buildx-metadata.json");
    }
}
