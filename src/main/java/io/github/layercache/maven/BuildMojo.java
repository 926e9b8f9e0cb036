package io.github.layercache.maven;

import io.github.layercache.auth.RegistryHosts;
import io.github.layercache.auth.RegistryLogin;
import io.github.layercache.auth.RepositorySettings;
import io.github.layercache.buildx.BuildOutcome;
import io.github.layercache.buildx.BuildxClient;
import io.github.layercache.buildx.BuildxCommand;
import io.github.layercache.core.InvalidSpecException;
import io.github.layercache.core.LayercacheException;
import io.github.layercache.fingerprint.Fingerprint;
import io.github.layercache.fingerprint.ReuseCheck;
import io.github.layercache.json.Json;
import io.github.layercache.log.BuildLog;
import io.github.layercache.process.LocalProcessRunner;
import io.github.layercache.push.RegistryImages;
import io.github.layercache.spec.BuildSecret;
import io.github.layercache.spec.BuildSpec;
import io.github.layercache.spec.CacheBackend;
import io.github.layercache.spec.CachePolicy;
import io.github.layercache.spec.CiEnvironment;
import io.github.layercache.spec.GitCheckout;
import io.github.layercache.spec.ImageReference;
import io.github.layercache.spec.ProjectInfo;
import io.github.layercache.spec.SourceVersion;
import io.github.layercache.spec.TagTemplate;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.maven.model.License;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/** Builds the module's image with {@code docker buildx build} and a registry layer cache. */
@Mojo(name = "build", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class BuildMojo extends AbstractLayercacheMojo {

    /**
     * Skips this goal only.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.SKIP_BUILD, defaultValue = "false")
    private boolean skipBuild;

    /**
     * The build context sent to BuildKit.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.CONTEXT, defaultValue = "${project.basedir}")
    private File contextDirectory;

    /**
     * The Dockerfile, absolute or relative to the context directory. Default: {@code Dockerfile}
     * in the context directory.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.DOCKERFILE)
    private String dockerfile;

    /**
     * The registry the image goes to, e.g. {@code 123456789012.dkr.ecr.eu-west-1.amazonaws.com}.
     * The image repository is then {@code <registry>/<artifactId>}.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.REGISTRY)
    private String registry;

    /**
     * The full image repository, without tag; overrides {@code registry}. Default:
     * {@code <registry>/<artifactId>}, or the artifactId alone when no registry is set.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.IMAGE)
    private String image;

    /**
     * The image tags; on the command line separate them with commas. A tag may hold
     * {@code {version}}, {@code {commit}}, {@code {shortCommit}} (12 characters) and
     * {@code {branch}}, filled from CI ({@code CODEBUILD_RESOLVED_SOURCE_VERSION}, {@code GITHUB_SHA})
     * or the git checkout.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.TAGS, defaultValue = "${project.version}")
    private List<String> tags;

    /**
     * Fails a module that has no Dockerfile (and no {@code dockerfile} set) instead of skipping it.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.FAIL_WITHOUT_DOCKERFILE, defaultValue = "false")
    private boolean failWithoutDockerfile;

    /**
     * The branch this build is for. Default: from CI ({@code CODEBUILD_WEBHOOK_HEAD_REF},
     * {@code GITHUB_HEAD_REF}, {@code GITHUB_REF_NAME}), else the git checkout.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.BRANCH)
    private String branch;

    /**
     * The branch whose cache every other branch reads.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.MAIN_BRANCH, defaultValue = "main")
    private String mainBranch;

    /**
     * On a branch other than {@code mainBranch}, the default cache ref gets the branch in its tag
     * ({@code buildcache-feature-x}): the build imports the main branch's cache and its own, and
     * exports only its own.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.CACHE_PER_BRANCH, defaultValue = "true")
    private boolean cachePerBranch;

    /**
     * Skips the build when the registry already has an image built from the same inputs: the
     * Dockerfile, the context files {@code .dockerignore} lets through, the build arguments (but
     * {@code volatileBuildArgs}), target, platforms, labels and the plugin's version. Built images
     * get a {@code fp-…} tag that marks their inputs.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.FINGERPRINT, defaultValue = "true")
    private boolean fingerprint;

    /**
     * Adds the base images' current digests to the fingerprint, so that a base image updated
     * behind its tag (e.g. {@code eclipse-temurin:21}) causes a build. Costs one registry lookup per base image.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.FINGERPRINT_BASE_IMAGES, defaultValue = "false")
    private boolean fingerprintBaseImages;

    /**
     * Build arguments left out of the fingerprint, such as a build number that changes every build.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.VOLATILE_BUILD_ARGS)
    private List<String> volatileBuildArgs;

    /**
     * Build arguments ({@code --build-arg}). Never put secrets here: build arguments are kept in
     * the image history. Use {@code secrets}.
     *
     * @since 0.1.0
     */
    @Parameter
    private Map<String, String> buildArgs;

    /**
     * The Dockerfile stage to build ({@code --target}).
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.TARGET)
    private String target;

    /**
     * Target platforms, e.g. {@code linux/amd64,linux/arm64}.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.PLATFORMS)
    private List<String> platforms;

    /**
     * Image labels, added to the OCI labels.
     *
     * @since 0.1.0
     */
    @Parameter
    private Map<String, String> labels;

    /**
     * Adds {@code org.opencontainers.image.*} labels from the project (title, description,
     * version, url, source, vendor, licenses).
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.OCI_LABELS, defaultValue = "true")
    private boolean ociLabels;

    /**
     * Always pulls the base images ({@code --pull}).
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.PULL, defaultValue = "false")
    private boolean pull;

    /**
     * Builds without any cache ({@code --no-cache}); the cache is still exported.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.NO_CACHE, defaultValue = "false")
    private boolean noCache;

    /**
     * The network for {@code RUN} steps ({@code --network}): {@code default}, {@code host} or {@code none}.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.NETWORK)
    private String network;

    /**
     * Build secrets ({@code --secret}), each with an {@code <id>} and a {@code <file>} or an
     * {@code <env>}; their values never appear on a command line.
     *
     * @since 0.1.0
     */
    @Parameter
    private List<Secret> secrets;

    /**
     * SSH agent sockets or keys to expose ({@code --ssh}), e.g. {@code default}.
     *
     * @since 0.1.0
     */
    @Parameter
    private List<String> ssh;

    /**
     * The buildx builder to use ({@code --builder}). Default: buildx's current builder.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.BUILDER)
    private String builder;

    /**
     * How long the build may run before it is stopped.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.TIMEOUT_SECONDS, defaultValue = "3600")
    private int timeoutSeconds;

    /**
     * More {@code docker buildx build} arguments, passed as they are, before the context.
     *
     * @since 0.1.0
     */
    @Parameter
    private List<String> extraArgs;

    /**
     * Loads the image into the local image store ({@code --load}), so that {@code push} can publish it.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.LOAD, defaultValue = "true")
    private boolean load;

    /**
     * Uses a registry layer cache.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.CACHE, defaultValue = "true")
    private boolean cache;

    /**
     * The image's own cache, imported and exported. Default: {@code <image repository>:<cacheTag>}.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.CACHE_REF)
    private String cacheRef;

    /**
     * The tag of the default cache ref.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.CACHE_TAG, defaultValue = "buildcache")
    private String cacheTag;

    /**
     * {@code max} caches the layers of every stage, {@code min} only those of the final image.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.CACHE_MODE, defaultValue = "max")
    private String cacheMode;

    /**
     * More caches to import: image refs (e.g. the main branch's cache) or raw BuildKit specs such
     * as {@code type=gha,scope=orders} or {@code type=s3,region=eu-west-1,bucket=ci-cache}.
     *
     * @since 0.1.0
     */
    @Parameter
    private List<String> cacheFrom;

    /**
     * Raw BuildKit cache exports that replace the default registry export, e.g.
     * {@code type=local,dest=/cache} or {@code type=inline}.
     *
     * @since 0.1.0
     */
    @Parameter
    private List<String> cacheTo;

    /**
     * Exports the cache only in CI (see {@code ci}), so that laptops read the team's cache without
     * writing to it.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.CACHE_EXPORT_ONLY_IN_CI, defaultValue = "false")
    private boolean cacheExportOnlyInCi;

    /**
     * Whether this is a CI build. Default: detected from the variables CI systems set ({@code CI},
     * AWS CodeBuild's {@code CODEBUILD_BUILD_ID}, {@code GITHUB_ACTIONS}, {@code GITLAB_CI},
     * {@code JENKINS_URL}, {@code BUILDKITE}, {@code CIRCLECI}, Azure's {@code TF_BUILD},
     * {@code BITBUCKET_BUILD_NUMBER}, {@code TEAMCITY_VERSION}, {@code TRAVIS}); {@code true} or
     * {@code false} overrides the detection.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.CI)
    private Boolean ci;

    /**
     * Fails the build when the cache cannot be read or written (by default that is a warning).
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.CACHE_STRICT, defaultValue = "false")
    private boolean cacheStrict;

    /**
     * Creates the image's ECR repository when it does not exist (needs {@code ecr:CreateRepository},
     * {@code ecr:DescribeRepositories} and {@code ecr:PutLifecyclePolicy}).
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.ECR_CREATE_REPOSITORY, defaultValue = "false")
    private boolean ecrCreateRepository;

    /**
     * A created repository's tags are immutable: a pushed tag never moves to another image.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.ECR_IMMUTABLE_TAGS, defaultValue = "false")
    private boolean ecrImmutableTags;

    /**
     * A created repository scans every pushed image.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.ECR_SCAN_ON_PUSH, defaultValue = "true")
    private boolean ecrScanOnPush;

    /**
     * A created repository's lifecycle policy keeps this many images and expires untagged ones
     * (old cache manifests) after a day; 0 sets no policy.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.ECR_KEEP_IMAGES, defaultValue = "100")
    private int ecrKeepImages;

    /**
     * Where the build result (image, tags, digest, cache, cached steps) is written as JSON.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.RESULT_FILE, defaultValue = "${project.build.directory}/layercache/image.json")
    private File resultFile;

    @Override
    protected void run(BuildLog log) throws LayercacheException, InterruptedException {
        if (skipBuild) {
            log.info("Skipping the image build (" + PropertyNames.SKIP_BUILD + "=true)");
            return;
        }
        long started = System.nanoTime();
        if (hasNoDockerfile()) {
            log.info("No Dockerfile in " + contextDirectory + ": no image for this module (set <dockerfile> to"
                    + " build one, or " + PropertyNames.FAIL_WITHOUT_DOCKERFILE + "=true to make this an error).");
            return;
        }
        BuildSpec spec = buildSpec(log);
        warnIfArtifactsGoFirst(log);
        RegistryLogin registries = registryLogin(log);
        if (ecrCreateRepository) {
            registries.ensureRepository(
                    spec.image().registryHost().orElse("docker.io"),
                    spec.image().path(),
                    new RepositorySettings(ecrImmutableTags, ecrScanOnPush, ecrKeepImages));
        }
        BuildOutcome outcome;
        try (RegistryLogin.Session session = login(registries, registryHosts(spec, log))) {
            ReuseCheck reuse = new ReuseCheck(
                    new RegistryImages(new LocalProcessRunner(), dockerExecutable, log),
                    log,
                    session.environment(),
                    session.secrets());
            Optional<Fingerprint> inputs = fingerprint
                    ? reuse.fingerprint(spec, fingerprintSettings(), fingerprintBaseImages)
                    : Optional.empty();
            if (inputs.isPresent()) {
                spec = spec.withFingerprintTag(inputs.get().tag());
                Optional<String> existing = reuse.existingImage(spec);
                if (existing.isPresent()) {
                    outcome = BuildOutcome.reused(
                            spec, existing.get(), inputs.get().value(), Duration.ofNanos(System.nanoTime() - started));
                    publish(outcome, started);
                    log.info(outcome.summary());
                    return;
                }
            }
            BuildxClient client = new BuildxClient(new LocalProcessRunner(), dockerExecutable, log);
            outcome = client.build(spec, session.environment(), session.secrets());
            if (inputs.isPresent()) {
                outcome = outcome.withFingerprint(inputs.get().value());
            }
        }
        publish(outcome, started);
        log.info(outcome.summary());
    }

    /** Before anything is published: a deploy that would publish the jar before the image says so now. */
    private void warnIfArtifactsGoFirst(BuildLog log) {
        if (session.getGoals() == null || !session.getGoals().contains("deploy")) {
            return;
        }
        DeployOrder.artifactsBeforeImage(
                        project,
                        mojoExecution.getMojoDescriptor().getPluginDescriptor().getPluginLookupKey())
                .ifPresent(reason -> log.warn("This module's Maven artifacts would be deployed before its image is"
                        + " pushed (" + reason + "): if the push fails, the release is half-published. Rebind"
                        + " default-deploy to the phase none and deploy in an execution declared after this plugin"
                        + " (README: Publishing the image before the artifacts)."));
    }

    private Fingerprint.Settings fingerprintSettings() {
        return new Fingerprint.Settings(
                mojoExecution.getMojoDescriptor().getPluginDescriptor().getVersion(),
                Set.copyOf(orEmpty(volatileBuildArgs)),
                List.of(),
                resultFile.toPath().getParent());
    }

    /**
     * Only a module left entirely at the defaults (its own directory as the context, no Dockerfile
     * named) is skipped for having no Dockerfile: where the user named either, a missing Dockerfile
     * is their mistake, and the spec reports it.
     */
    private boolean hasNoDockerfile() {
        boolean contextIsTheModule = contextDirectory
                .toPath()
                .toAbsolutePath()
                .normalize()
                .equals(project.getBasedir().toPath().toAbsolutePath().normalize());
        return !failWithoutDockerfile
                && (dockerfile == null || dockerfile.isBlank())
                && contextIsTheModule
                && !Files.isRegularFile(contextDirectory.toPath().resolve("Dockerfile"));
    }

    /** The commit and branch, asked of CI's variables first and of git only when those say nothing. */
    private SourceVersion sourceVersion() {
        SourceVersion detected = SourceVersion.detect(
                System.getenv(), new GitCheckout(project.getBasedir().toPath())::commitAndBranch);
        return branch == null || branch.isBlank()
                ? detected
                : new SourceVersion(detected.commit(), Optional.of(branch.strip()));
    }

    /** Every registry the build talks to; the base images count only when the Dockerfile can be read. */
    private static Set<String> registryHosts(BuildSpec spec, BuildLog log) {
        try {
            return RegistryHosts.of(spec);
        } catch (IOException e) {
            log.debug("Cannot read the base images of " + spec.dockerfile() + ": " + e.getMessage());
            return spec.image().registryHost().stream().collect(Collectors.toSet());
        }
    }

    private BuildSpec buildSpec(BuildLog log) throws InvalidSpecException {
        ImageReference repository = imageRepository();
        Map<String, String> allLabels = new LinkedHashMap<>();
        if (ociLabels) {
            allLabels.putAll(projectInfo().ociLabels());
        }
        allLabels.putAll(orEmpty(labels));

        SourceVersion source = sourceVersion();
        BuildSpec.Builder spec = BuildSpec.builder()
                .contextDirectory(contextDirectory.toPath())
                .dockerfile(dockerfile == null || dockerfile.isBlank() ? null : Path.of(dockerfile))
                .image(repository)
                .tags(TagTemplate.expand(tags == null ? List.of() : tags, project.getVersion(), source))
                .buildArgs(orEmpty(buildArgs))
                .target(target)
                .platforms(orEmpty(platforms))
                .labels(allLabels)
                .pull(pull)
                .noCache(noCache)
                .network(network)
                .ssh(orEmpty(ssh))
                .builderName(builder)
                .timeout(Duration.ofSeconds(timeoutSeconds))
                .extraArgs(orEmpty(extraArgs))
                .cache(cachePolicy(repository, source, log).resolve())
                .load(load)
                .metadataFile(resultFile.toPath().resolveSibling(baseName(resultFile) + "-buildx-metadata.json"))
                .projectRoot(projectRoot());
        for (Secret secret : orEmpty(secrets)) {
            spec.secret(toBuildSecret(secret));
        }
        BuildSpec built = spec.build();
        warnAboutSecretLikeArgs(built, log);
        for (CacheBackend backend :
                concat(built.cache().imports(), built.cache().exports())) {
            if (!backend.secretParameters().isEmpty()) {
                log.warn("The " + backend.type() + " cache spec holds " + String.join(", ", backend.secretParameters())
                        + ", which puts a credential on the buildx command line where other users of the machine can"
                        + " see it. Give it through the environment instead (e.g. AWS_SECRET_ACCESS_KEY).");
            }
        }
        return built;
    }

    /** The directory Maven was started for: the multi-module root, else the top-level project. */
    private Path projectRoot() {
        File root = session.getRequest() == null ? null : session.getRequest().getMultiModuleProjectDirectory();
        if (root == null && session.getTopLevelProject() != null) {
            root = session.getTopLevelProject().getBasedir();
        }
        return root == null ? project.getBasedir().toPath() : root.toPath();
    }

    private ImageReference imageRepository() throws InvalidSpecException {
        if (image != null && !image.isBlank()) {
            return ImageReference.parse(image, "image");
        }
        String name = ImageReference.repositoryName(project.getArtifactId());
        if (registry == null || registry.isBlank()) {
            return ImageReference.parse(name, "image");
        }
        return ImageReference.parse(registry.strip().replaceAll("/+$", "") + "/" + name, "registry");
    }

    private CachePolicy cachePolicy(ImageReference repository, SourceVersion source, BuildLog log)
            throws InvalidSpecException {
        List<String> imports = new ArrayList<>();
        String ref;
        if (cacheRef != null && !cacheRef.isBlank()) {
            ref = cacheRef.strip();
        } else {
            String mainRef = repository.withTag(ImageReference.validTag(cacheTag, "cacheTag"));
            Optional<String> featureBranch = source.branch().filter(b -> cachePerBranch && !b.equals(mainBranch));
            if (featureBranch.isPresent()) {
                // A feature branch starts from the main branch's layers and keeps its own apart.
                ref = repository.withTag(ImageReference.tagFrom(
                        cacheTag + "-" + source.branchTag().orElseThrow()));
                imports.add(mainRef);
                log.info("Branch " + featureBranch.get() + ": cache " + ref + ", also reading " + mainRef);
            } else {
                ref = mainRef;
            }
        }
        imports.addAll(orEmpty(cacheFrom));
        CiEnvironment environment = CiEnvironment.detect(System.getenv(), Optional.ofNullable(ci));
        if (cache && cacheExportOnlyInCi) {
            log.info(
                    environment.inCi()
                            ? "CI: " + environment.description() + ", so the cache is exported (cacheExportOnlyInCi)."
                            : "Not a CI build: " + environment.description() + ". The cache is read but not exported"
                                    + " (cacheExportOnlyInCi); -D" + PropertyNames.CI + "=true exports it.");
        }
        return new CachePolicy(
                cache,
                ref,
                cacheMode.strip().toLowerCase(Locale.ROOT),
                imports,
                orEmpty(cacheTo),
                cacheExportOnlyInCi,
                environment,
                cacheStrict);
    }

    private BuildSecret toBuildSecret(Secret secret) throws InvalidSpecException {
        boolean hasFile = secret.file() != null && !secret.file().isBlank();
        boolean hasEnv = secret.env() != null && !secret.env().isBlank();
        if (hasFile == hasEnv) {
            throw new InvalidSpecException(
                    "secrets", "Build secret '" + secret.id() + "' needs exactly one of <file> and <env>.");
        }
        if (hasEnv && System.getenv(secret.env()) == null) {
            throw new InvalidSpecException(
                    "secrets",
                    "Build secret '" + secret.id() + "' reads the environment variable " + secret.env()
                            + ", which is not set.");
        }
        // Relative paths are relative to the module, as everywhere in Maven; buildx gets an absolute one.
        return hasFile
                ? new BuildSecret(
                        secret.id(),
                        BuildSecret.Source.FILE,
                        project.getBasedir().toPath().resolve(secret.file()).toString())
                : new BuildSecret(secret.id(), BuildSecret.Source.ENV, secret.env());
    }

    private static void warnAboutSecretLikeArgs(BuildSpec spec, BuildLog log) {
        for (String name : spec.secretLikeBuildArgs()) {
            log.warn("Build argument " + name + " looks like a secret. Build arguments are kept in the image"
                    + " history; pass it as a build secret (<secrets>, RUN --mount=type=secret) instead. Its value"
                    + " is masked in the logged command line and the result file.");
        }
    }

    private ProjectInfo projectInfo() {
        List<String> licenses = new ArrayList<>();
        for (License license : project.getLicenses()) {
            if (license.getName() != null) {
                licenses.add(license.getName());
            }
        }
        return new ProjectInfo(
                project.getArtifactId(),
                project.getVersion(),
                project.getName(),
                project.getDescription(),
                project.getUrl(),
                project.getScm() == null ? null : project.getScm().getUrl(),
                project.getOrganization() == null
                        ? null
                        : project.getOrganization().getName(),
                licenses);
    }

    /**
     * Records the result: project properties, and the result file with the goal's own wall time and,
     * for a build that ran, its exact buildx command line (which never holds a secret).
     */
    private void publish(BuildOutcome outcome, long startedNanos) throws LayercacheException {
        BuildSpec spec = outcome.spec();
        project.getProperties()
                .setProperty(PropertyNames.RESULT_IMAGE, spec.image().name());
        project.getProperties().setProperty(PropertyNames.RESULT_TAGS, String.join(",", spec.tags()));
        project.getProperties()
                .setProperty(PropertyNames.RESULT_STEPS, outcome.cachedSteps() + "/" + outcome.totalSteps());
        project.getProperties()
                .setProperty(
                        PropertyNames.RESULT_SECONDS,
                        String.format(Locale.ROOT, "%.1f", outcome.duration().toMillis() / 1000.0));
        if (spec.fingerprintTag() != null) {
            project.getProperties().setProperty(PropertyNames.RESULT_FINGERPRINT_TAG, spec.fingerprintTag());
        }
        project.getProperties().setProperty(PropertyNames.RESULT_REUSED, Boolean.toString(outcome.reused()));
        outcome.digest().ifPresent(digest -> {
            project.getProperties().setProperty(PropertyNames.RESULT_DIGEST, digest);
            project.getProperties()
                    .setProperty(PropertyNames.RESULT_REFERENCE, spec.image().name() + "@" + digest);
        });
        try {
            Files.createDirectories(resultFile.toPath().getParent());
            Map<String, Object> document = outcome.toDocument();
            document.put("goalSeconds", (System.nanoTime() - startedNanos) / 1_000_000 / 1000.0);
            if (!outcome.reused()) {
                document.put("command", BuildxCommand.shown(dockerExecutable, spec));
            }
            Files.writeString(resultFile.toPath(), Json.write(document), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LayercacheException("Cannot write the build result to " + resultFile + ": " + e.getMessage());
        }
    }

    private static String baseName(File file) {
        String name = file.getName();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static <T> List<T> concat(List<T> first, List<T> second) {
        List<T> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static Map<String, String> orEmpty(Map<String, String> map) {
        return map == null ? Map.of() : map;
    }
}
