package io.github.layercache.maven;

import static io.github.layercache.core.Text.blankToNull;

import io.github.layercache.auth.RepositorySettings;
import io.github.layercache.buildx.BuildOutcome;
import io.github.layercache.buildx.BuilderProbe;
import io.github.layercache.core.LayercacheException;
import io.github.layercache.docker.DockerCli;
import io.github.layercache.docker.DockerCommands;
import io.github.layercache.image.BuildPlan;
import io.github.layercache.image.BuildPlanner;
import io.github.layercache.image.BuildRequest;
import io.github.layercache.image.BuildResult;
import io.github.layercache.image.BuildRunner;
import io.github.layercache.javaapp.JavaApp;
import io.github.layercache.javaapp.JavaAppContext;
import io.github.layercache.log.BuildLog;
import io.github.layercache.result.ResultFile;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/** Builds the module's image with {@code docker buildx build} and a registry layer cache. */
@Mojo(
        name = "build",
        defaultPhase = LifecyclePhase.PACKAGE,
        requiresDependencyResolution = ResolutionScope.RUNTIME,
        threadSafe = true)
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
     * The buildx builder to use ({@code --builder}). Default: the builder {@code buildx-setup}
     * prepared for this module in the same Maven run; without that goal, buildx's current builder.
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
     * Where the image goes: {@code true} loads it into the local image store ({@code --load}), and
     * {@code push} runs {@code docker push}; {@code false} sends it from BuildKit to the registry by
     * digest, untagged, and {@code push} only gives it its tags there. Default: {@code false} in CI
     * (see {@code ci}), {@code true} elsewhere. The {@code docker} driver always loads.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.LOAD)
    private Boolean load;

    /**
     * The release's time: Maven's reproducible-build setting, recorded as the label
     * {@code org.opencontainers.image.created} (with {@code ociLabels}). The times BuildKit writes into
     * the image are always {@code SOURCE_DATE_EPOCH=0}: a release date there would change the cache key
     * of every step after the first {@code WORKDIR} on today's BuildKit, and every release would rebuild.
     *
     * @since 0.1.0
     */
    @Parameter(defaultValue = "${project.build.outputTimestamp}")
    private String outputTimestamp;

    /**
     * The provenance attestation ({@code --provenance}): {@code false}, {@code true}, {@code mode=min}
     * or {@code mode=max}. Off by default: an attestation makes the image an index with an extra
     * manifest, which AWS Lambda refuses, and its timestamps change the digest of every rebuild.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.PROVENANCE, defaultValue = "false")
    private String provenance;

    /**
     * Attaches an SBOM attestation ({@code --sbom}); BuildKit runs its scanner image for it.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.SBOM, defaultValue = "false")
    private boolean sbom;

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
     * More caches to import, besides the image's own and (on a feature branch) the main branch's,
     * which are read without this: image refs (e.g. another service's cache) or raw BuildKit specs such
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
     * When steps ran instead of coming from the cache, logs why, step by step (a changed file, a file
     * mode, a build argument, a moved base image, an edited Dockerfile line), by comparing this build's
     * inputs with those recorded beside the registry cache it imported; and records this build's inputs
     * (hashes only: never a file's content or an argument's value) beside each registry cache it exports,
     * as a small artifact under {@code <cache tag>.inputs}. A build whose every step was cached does
     * neither. {@code LAYERCACHE_INPUTS_KEY} in the environment, when set, keys the build arguments'
     * hashes.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.CACHE_EXPLAIN, defaultValue = "true")
    private boolean cacheExplain;

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
     * The lifecycle policy of a repository the plugin creates expires the plugin's own objects this
     * many days after their last push: branch caches ({@code <cacheTag>-<branch>}) and fingerprint
     * marks ({@code fingerprint-…}). Untagged images expire after a day; an image with any other tag
     * (a release, a version, a commit) is never expired by it. 0 sets no policy.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.ECR_EXPIRE_DAYS, defaultValue = "14")
    private int ecrExpireDays;

    /**
     * Puts the plugin's lifecycle policy (see {@code ecrExpireDays}) on the image's existing ECR
     * repository too, in place of the policy it has; the log shows the policy it replaced. A
     * repository the plugin creates gets the policy anyway. Needs {@code ecr:GetLifecyclePolicy} and
     * {@code ecr:PutLifecyclePolicy}; a missing repository is created.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.ECR_APPLY_LIFECYCLE_POLICY, defaultValue = "false")
    private boolean ecrApplyLifecyclePolicy;

    /**
     * Where the build result (image, tags, digest, cache, cached steps) is written as JSON.
     *
     * @since 0.1.0
     */
    @Parameter(
            property = PropertyNames.IMAGE_RESULT_FILE,
            defaultValue = "${project.build.directory}/layercache/image.json")
    private File resultFile;

    /**
     * The name of the build context in which the plugin lays out the module's Java application, as
     * Jib does: one directory per layer, {@code dependencies}, {@code snapshot-dependencies},
     * {@code reactor-modules}, {@code resources} and {@code classes}, from the runtime class path and
     * {@code target/classes}, with fixed file times and modes, and {@code launch} with
     * {@code app/launch.args}, the class path and main class for {@code java @/app/launch.args}. Each
     * directory holds its files at their place in the image, so the Dockerfile copies each to {@code /}
     * ({@code COPY --link --from=java-app classes/ /}). Prepared only when the Dockerfile reads the
     * context; a Dockerfile that does not builds as before. Empty turns it off.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.JAVA_APP_CONTEXT, defaultValue = "java-app")
    private String javaAppContext;

    /**
     * Where the Dockerfile copies the Java application's layers in the image: {@code launch.args}
     * names the jars below {@code <root>/libs} and the directories {@code <root>/resources} and
     * {@code <root>/classes}.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.JAVA_APP_ROOT, defaultValue = "/app")
    private String javaAppRoot;

    /**
     * The class {@code launch.args} runs. Default: Spring Boot's {@code start-class} property, the
     * {@code mainClass} of spring-boot-maven-plugin or maven-jar-plugin, else the one class with a
     * {@code main} method (among several, the {@code @SpringBootApplication} one).
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.MAIN_CLASS)
    private String mainClass;

    @Component
    private SessionProbeAnswers probeAnswers;

    @Override
    protected void run(BuildLog log) throws LayercacheException, InterruptedException {
        if (skipBuild) {
            log.info("Skipping the image build (" + PropertyNames.SKIP_BUILD + "=true)");
            return;
        }
        long started = System.nanoTime();
        Optional<BuildPlan> plan = new BuildPlanner(System.getenv(), hints(), log).plan(request());
        if (plan.isEmpty()) {
            return;
        }
        DeployOrder.warnIfArtifactsGoFirst(session, project, mojoExecution, log);
        BuildPlan ready =
                plan.get().withSpec(JavaAppContext.attach(plan.get().spec(), javaAppSettings(), this::javaApp, log));
        DockerCli docker = docker(log);
        BuildOutcome outcome = new BuildRunner(
                        docker,
                        registryLogin(log),
                        dockerConfig(),
                        new BuilderProbe(docker, probeAnswers.answers(), System.getenv()),
                        log)
                .run(ready);
        BuildResult result = new BuildResult(
                outcome,
                Duration.ofNanos(System.nanoTime() - started),
                outcome.reused()
                        ? Optional.empty()
                        : Optional.of(docker.commandLine(
                                DockerCommands.build(outcome.spec()).shownArgs())));
        ResultFile.write(resultFile.toPath(), result, Optional.empty());
        HandOff.build(project, result);
        log.info(outcome.summary());
    }

    private JavaAppContext.Settings javaAppSettings() {
        return new JavaAppContext.Settings(
                javaAppContext,
                resultFile
                        .toPath()
                        .resolveSibling(blankToNull(javaAppContext) == null ? "java-app" : javaAppContext.strip()),
                ModuleFacts.outputDirectory(project));
    }

    private JavaApp javaApp() throws LayercacheException {
        if (blankToNull(javaAppRoot) == null || !javaAppRoot.strip().startsWith("/")) {
            throw new LayercacheException(
                    "Invalid javaAppRoot '" + javaAppRoot + "': write an absolute path in the image, e.g. /app.",
                    "javaAppRoot");
        }
        return ModuleFacts.javaApp(
                session, project, mainClass, javaAppRoot.strip().replaceAll("/+$", ""));
    }

    /** The configuration as written, for the planner; the builder is the one buildx-setup prepared unless set. */
    private BuildRequest request() {
        Path projectRoot = ModuleFacts.projectRoot(session, project);
        return new BuildRequest(
                new BuildRequest.Module(
                        project.getBasedir().toPath(),
                        projectRoot,
                        ModuleFacts.projectInfo(project, projectRoot),
                        mojoExecution.getMojoDescriptor().getPluginDescriptor().getVersion(),
                        failWithoutDockerfile,
                        outputTimestamp),
                new BuildRequest.Image(contextDirectory.toPath(), dockerfile, registry, image, tags, labels, ociLabels),
                new BuildRequest.Buildx(
                        buildArgs,
                        target,
                        platforms,
                        pull,
                        noCache,
                        network,
                        secrets == null
                                ? List.of()
                                : secrets.stream().map(Secret::toParameter).toList(),
                        ssh,
                        blankToNull(builder) != null
                                ? builder
                                : HandOff.builder(project).orElse(null),
                        timeoutSeconds,
                        extraArgs,
                        load,
                        provenance,
                        sbom),
                new BuildRequest.Cache(
                        cache,
                        cacheRef,
                        cacheTag,
                        cacheMode,
                        cacheFrom,
                        cacheTo,
                        cacheExportOnlyInCi,
                        cacheStrict,
                        cacheExplain,
                        branch,
                        mainBranch,
                        cachePerBranch,
                        ci),
                new BuildRequest.FingerprintOptions(fingerprint, fingerprintBaseImages, volatileBuildArgs),
                new BuildRequest.Ecr(
                        ecrCreateRepository,
                        new RepositorySettings(
                                ecrImmutableTags, ecrScanOnPush, ecrExpireDays, cacheTag, ecrApplyLifecyclePolicy)),
                resultFile.toPath());
    }
}
