package io.github.layercache.image;

import io.github.layercache.auth.DockerConfigLocation;
import io.github.layercache.auth.NoAwsCredentialsException;
import io.github.layercache.auth.RegistryHosts;
import io.github.layercache.auth.RegistryLogin;
import io.github.layercache.auth.RepositorySettings;
import io.github.layercache.auth.TagMutability;
import io.github.layercache.buildx.BuildOutcome;
import io.github.layercache.buildx.BuilderProbe;
import io.github.layercache.buildx.BuildxClient;
import io.github.layercache.cache.CacheBackend;
import io.github.layercache.cache.CacheProblem;
import io.github.layercache.core.LayercacheException;
import io.github.layercache.docker.DockerCli;
import io.github.layercache.docker.DockerEnvironment;
import io.github.layercache.docker.RegistryImages;
import io.github.layercache.fingerprint.Fingerprint;
import io.github.layercache.inputs.CacheInputs;
import io.github.layercache.inputs.InputsRecord;
import io.github.layercache.inputs.MissExplainer;
import io.github.layercache.log.BuildLog;
import io.github.layercache.registry.DockerHub;
import io.github.layercache.registry.ManifestTagger;
import io.github.layercache.spec.BuildSpec;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Carries out a {@link BuildPlan}: creates the ECR repository when asked, logs in to every registry
 * the build talks to, fingerprints the inputs and reuses an image the registry already has with
 * them, and otherwise builds.
 */
public final class BuildRunner {

    /** What the repository of the cache of an image in an immutable ECR repository adds to its name. */
    public static final String CACHE_REPOSITORY_SUFFIX = "-cache";

    /** How long one registry request for the inputs record may take: it only ever explains, never builds. */
    private static final Duration INPUTS_TIMEOUT = Duration.ofSeconds(20);

    private final DockerCli docker;
    private final RegistryLogin registries;
    private final DockerConfigLocation dockerConfig;
    private final BuilderProbe builders;
    private final BuildLog log;

    public BuildRunner(
            DockerCli docker,
            RegistryLogin registries,
            DockerConfigLocation dockerConfig,
            BuilderProbe builders,
            BuildLog log) {
        this.docker = docker;
        this.registries = registries;
        this.dockerConfig = dockerConfig;
        this.builders = builders;
        this.log = log;
    }

    public BuildOutcome run(BuildPlan plan) throws LayercacheException, InterruptedException {
        Set<String> hosts = registryHosts(plan.spec());
        try {
            return run(plan, hosts);
        } catch (NoAwsCredentialsException e) {
            if (plan.inCi()) {
                throw e;
            }
            Set<String> ecrHosts = hosts.stream()
                    .filter(h -> registries.ecrRegistry(h).isPresent())
                    .collect(Collectors.toCollection(LinkedHashSet::new));
            BuildSpec local = plan.spec().withoutRegistryCacheAt(ecrHosts);
            log.warn("No AWS credentials for the ECR login to " + String.join(", ", ecrHosts) + ", and this is not a"
                    + " CI build: building without the registry cache there" + skipped(plan)
                    + ". The image stays in the local Docker; pushing it needs credentials, and in CI a missing"
                    + " login is an error. To use the team's cache, give this machine AWS credentials (for"
                    + " example aws sso login with a profile, named by AWS_PROFILE).");
            Set<String> others = new LinkedHashSet<>(hosts);
            others.removeAll(ecrHosts);
            return run(
                    new BuildPlan(
                            local,
                            Optional.empty(),
                            false,
                            Optional.empty(),
                            plan.resultFile(),
                            plan.cacheRepository(),
                            false,
                            plan.inputs()),
                    others);
        }
    }

    /** What the build leaves out without ECR credentials, besides the cache. */
    private static String skipped(BuildPlan plan) {
        String fingerprint = plan.fingerprint().isPresent() ? ", without the fingerprint check" : "";
        String repository = plan.createRepository().isPresent() ? ", without creating the repository" : "";
        return fingerprint + repository;
    }

    private BuildOutcome run(BuildPlan plan, Set<String> hosts) throws LayercacheException, InterruptedException {
        long started = System.nanoTime();
        BuildSpec spec = plan.spec();
        if (plan.createRepository().isPresent()) {
            registries.ensureRepository(
                    spec.image().registryHost().orElse(DockerHub.NAME),
                    spec.image().path(),
                    plan.createRepository().get());
        }
        spec = withMovableCache(spec, plan.cacheRepository());
        try (RegistryLogin.Session session = registries.open(hosts, dockerConfig)) {
            DockerEnvironment environment = session.docker();
            ReuseCheck reuse = new ReuseCheck(new RegistryImages(docker), log, environment);
            Optional<Fingerprint> inputs = plan.fingerprint().isPresent()
                    ? reuse.fingerprint(spec, plan.fingerprint().get(), plan.fingerprintBaseImages())
                    : Optional.empty();
            if (inputs.isPresent()) {
                spec = spec.withFingerprintTag(inputs.get().tag());
                Optional<String> existing = reuse.existingImage(spec);
                if (existing.isPresent()) {
                    return BuildOutcome.reused(
                            spec, existing.get(), inputs.get().value(), Duration.ofNanos(System.nanoTime() - started));
                }
            }
            spec = routeFor(spec, environment);
            checkTheBuilderCanExport(spec, environment);
            Optional<MissExplainer> explainer = plan.inputs()
                    .map(settings -> new MissExplainer(
                            new CacheInputs(new ManifestTagger(session::credential, INPUTS_TIMEOUT), log), log));
            BuildSpec building = spec;
            BuildOutcome outcome;
            try {
                outcome = new BuildxClient(docker, log)
                        .build(
                                spec,
                                environment,
                                () -> explainer.ifPresent(
                                        e -> e.start(building, plan.inputs().get())));
            } catch (LayercacheException | InterruptedException | RuntimeException e) {
                explainer.ifPresent(MissExplainer::cancel); // the build failed: nothing to explain
                throw e;
            }
            if (explainer.isPresent()) {
                outcome = explained(outcome, explainer.get(), plan.inputs().get());
            }
            BuildOutcome built = outcome;
            return inputs.map(i -> built.withFingerprint(i.value())).orElse(built);
        }
    }

    /**
     * Says why steps ran instead of coming from the cache, and records this build's inputs beside
     * the cache it exported, through the registry's API with the session's credentials.
     */
    private BuildOutcome explained(BuildOutcome outcome, MissExplainer explainer, InputsRecord.Settings settings)
            throws InterruptedException {
        Set<String> missing = outcome.cacheProblems().stream()
                .filter(CacheProblem::isMiss)
                .map(CacheProblem::target)
                .collect(Collectors.toSet());
        Set<String> failed = outcome.cacheProblems().stream()
                .filter(p -> p.direction() == CacheProblem.Direction.EXPORT)
                .map(CacheProblem::target)
                .collect(Collectors.toSet());
        return explainer
                .afterBuild(outcome.spec(), outcome.steps(), new MissExplainer.CacheEvents(missing, failed), settings)
                .map(outcome::withWhy)
                .orElse(outcome);
    }

    /**
     * A cache tag must move with every export. In an ECR repository that keeps its tags immutable
     * (as {@code DescribeRepositories} says) it cannot, so the cache goes to a repository of its own,
     * {@code <repository>-cache}, created with mutable tags. When the settings cannot be read, an
     * export the registry refuses says why in the build's warning.
     */
    private BuildSpec withMovableCache(BuildSpec spec, RepositorySettings settings) throws LayercacheException {
        Optional<String> host = spec.image().registryHost();
        String prefix = spec.image().name() + ":";
        List<String> ownTags = Stream.concat(spec.cache().imports().stream(), spec.cache().exports().stream())
                .filter(CacheBackend::isRegistry)
                .flatMap(backend -> backend.ref().stream())
                .filter(ref -> ref.startsWith(prefix))
                .map(ref -> ref.substring(prefix.length()))
                .toList();
        if (host.isEmpty()
                || ownTags.isEmpty()
                || registries.ecrRegistry(host.get()).isEmpty()) {
            return spec;
        }
        Optional<TagMutability> mutability;
        try {
            mutability = registries.tagMutability(host.get(), spec.image().path());
        } catch (LayercacheException e) {
            log.debug("Cannot read the tag settings of " + spec.image().name() + " (" + e.getMessage()
                    + "): the cache stays there");
            return spec;
        }
        if (mutability.isEmpty() || ownTags.stream().noneMatch(mutability.get()::fixes)) {
            return spec;
        }
        String cacheRepository = spec.image().path() + CACHE_REPOSITORY_SUFFIX;
        registries.ensureRepository(host.get(), cacheRepository, settings);
        log.info("The ECR repository " + spec.image().path() + " keeps its tags immutable ("
                + mutability.get().setting() + "), so its cache tag could never move: the cache goes to "
                + host.get() + "/" + cacheRepository + ", whose tags can.");
        return spec.withCacheMoved(spec.image().name(), host.get() + "/" + cacheRepository);
    }

    /**
     * The docker driver cannot push by digest: its image goes into Docker, and {@code push} runs
     * {@code docker push}. The log says so once in a run, and what is faster.
     */
    private BuildSpec routeFor(BuildSpec spec, DockerEnvironment environment)
            throws LayercacheException, InterruptedException {
        if (spec.output() != BuildSpec.Output.REGISTRY) {
            return spec;
        }
        Optional<BuilderProbe.Builder> builder = builders.inspect(spec.builderName(), environment);
        if (builder.isEmpty() || !builder.get().driver().equals("docker")) {
            return spec;
        }
        if (builders.answers().firstTime("docker driver loads")) {
            log.info("The builder '" + builder.get().name() + "' uses the docker driver, which cannot push by digest:"
                    + " the image is loaded into Docker and push runs docker push, which sends every layer the"
                    + " registry lacks. A docker-container builder (the buildx-setup goal) pushes straight from"
                    + " BuildKit, and in CI downloads none of the cached layers.");
        }
        return spec.withOutput(BuildSpec.Output.LOAD);
    }

    /**
     * The docker driver on a classic image store (CodeBuild's Docker) builds the whole image and
     * only then fails to export the cache: say so before it starts.
     */
    private void checkTheBuilderCanExport(BuildSpec spec, DockerEnvironment environment)
            throws LayercacheException, InterruptedException {
        if (spec.cache().exports().stream().allMatch(e -> e.type().equals("inline"))) {
            return;
        }
        Optional<BuilderProbe.Builder> builder = builders.inspect(spec.builderName(), environment);
        if (builder.isPresent() && builder.get().cannotExportCache()) {
            throw new LayercacheException(
                    "The builder '" + builder.get().name() + "' uses the docker driver on a Docker Engine with the"
                            + " classic image store (as CodeBuild's Docker is), which cannot export a registry cache."
                            + " Build with a docker-container builder: add the buildx-setup goal (its driver is"
                            + " docker-container by default), or turn on the Docker Engine's containerd image store.",
                    "builder");
        }
    }

    /** Every registry the build talks to; the base images count only when the Dockerfile can be read. */
    private Set<String> registryHosts(BuildSpec spec) {
        try {
            return RegistryHosts.of(spec);
        } catch (IOException e) {
            log.debug("Cannot read the base images of " + spec.dockerfile() + ": " + e.getMessage());
            return spec.image().registryHost().stream().collect(Collectors.toSet());
        }
    }
}
