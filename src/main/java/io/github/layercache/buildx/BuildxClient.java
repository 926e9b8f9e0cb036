package io.github.layercache.buildx;

import io.github.layercache.cache.CacheBackend;
import io.github.layercache.cache.CacheProblem;
import io.github.layercache.core.BuildFailedException;
import io.github.layercache.core.LayercacheException;
import io.github.layercache.docker.DockerCli;
import io.github.layercache.docker.DockerCli.Command;
import io.github.layercache.docker.DockerCommands;
import io.github.layercache.docker.DockerEnvironment;
import io.github.layercache.log.BuildLog;
import io.github.layercache.process.ProcessResult;
import io.github.layercache.process.ProcessTimeoutException;
import io.github.layercache.spec.BuildSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Runs {@code docker buildx build} for a {@link BuildSpec}, streams its progress and reads its results. */
public final class BuildxClient {

    private static final int KEPT_LINES = 20;
    /** A pull worth a word: well above a service's own layers, well below a JRE's. */
    private static final long LARGE_PULL = 10_000_000;

    private final DockerCli docker;
    private final BuildLog log;

    public BuildxClient(DockerCli docker, BuildLog log) {
        this.docker = docker;
        this.log = log;
    }

    /**
     * Builds the image.
     *
     * @param environment the goal's docker environment (e.g. {@code DOCKER_CONFIG}); never on the command line
     * @param whenAStepRuns called once, from the thread reading buildx's output, as soon as a Dockerfile
     *     step shows that it runs instead of coming from a cache
     */
    public BuildOutcome build(BuildSpec spec, DockerEnvironment environment, Runnable whenAStepRuns)
            throws LayercacheException, InterruptedException {
        prepareMetadataFile(spec);
        Command command = DockerCommands.build(spec);

        ProgressTracker tracker = new ProgressTracker();
        tracker.whenAStepRuns(whenAStepRuns);
        Deque<String> lastLines = new ArrayDeque<>();
        ProcessResult result;
        try {
            result = docker.stream(command, environment.masking(spec.secretValues()), (stream, line) -> {
                log.info(line);
                tracker.accept(line);
                synchronized (lastLines) {
                    if (lastLines.size() == KEPT_LINES) {
                        lastLines.removeFirst();
                    }
                    lastLines.addLast(line);
                }
            });
        } catch (ProcessTimeoutException e) {
            throw new BuildFailedException(
                    "docker buildx build did not finish within " + e.timeout().toSeconds()
                            + " s and was stopped. Raise the timeout if the build needs longer.",
                    "timeoutSeconds");
        }
        List<CacheProblem> problems = namedAfterUserEntries(spec, tracker.cacheProblems());
        Optional<CacheProblem> cacheFault =
                problems.stream().filter(p -> !p.isMiss()).findFirst();
        if (spec.cache().strict() && cacheFault.isPresent() && !tracker.hasFailedStep()) {
            throw new BuildFailedException(
                    describe(cacheFault.get()) + " Failing because the cache is strict.", "cacheStrict");
        }
        if (!result.succeeded()) {
            throw explainFailure(spec, result, tracker, List.copyOf(lastLines));
        }
        reportCache(spec, problems);
        tracker.heaviestCopyWithoutLink(LARGE_PULL)
                .ifPresent(step -> log.info(String.format(
                        Locale.ROOT,
                        "%s downloaded %.1f MB of cached layers from the registry: a COPY without --link needs the"
                                + " layers below it. With COPY --link in the final stage BuildKit pushes them"
                                + " without downloading (site page What ships: Dockerfiles that move few bytes).",
                        step.getKey(),
                        step.getValue() / 1e6)));
        return new BuildOutcome(
                        spec,
                        readDigest(spec),
                        tracker.cachedSteps(),
                        tracker.totalSteps(),
                        problems,
                        result.duration())
                .withProgress(tracker.pulledBytes(), tracker.stepRuns());
    }

    private void reportCache(BuildSpec spec, List<CacheProblem> problems) {
        for (CacheProblem problem : problems) {
            if (problem.isMiss()) {
                log.info(spec.cache()
                        .exportOffReason()
                        .map(reason -> "No cache at " + problem.target() + " yet, and this build does not export one ("
                                + reason + ").")
                        .orElse("No cache at " + problem.target() + " yet: this build starts it."));
            } else {
                log.warn(describe(problem));
            }
        }
    }

    private static String describe(CacheProblem problem) {
        return problem.direction() == CacheProblem.Direction.IMPORT
                ? "Could not import the cache from " + problem.target() + " (" + problem.message()
                        + "); the build went on without it."
                : "Could not export the cache to " + problem.target() + " (" + problem.message()
                        + "); the image was built, but the next build cannot reuse its layers."
                        + exportFix(problem.message());
    }

    /** Why the registry refused an export and what to change, when its answer says; else nothing. */
    static String exportFix(String message) {
        String lower = message.toLowerCase(Locale.ROOT);
        if (lower.contains("immutable") || lower.contains("cannot be overwritten") || lower.contains("tag invalid")) {
            return " The repository keeps its tags immutable, so the cache tag, which moves with every export,"
                    + " was written once and can never be updated. Let the cache tags move (ECR: tag mutability"
                    + " IMMUTABLE_WITH_EXCLUSION with the filters buildcache* and fingerprint-*), or give the plugin"
                    + " ecr:DescribeRepositories so that it puts the cache in <repository>-cache, or set cacheRef to a"
                    + " repository with mutable tags.";
        }
        if (lower.contains("401") || lower.contains("unauthorized")) {
            return " The registry did not accept the credentials: for ECR check the AWS credentials the build runs"
                    + " with; for another registry add a settings.xml server whose id is its host.";
        }
        if (lower.contains("403") || lower.contains("denied") || lower.contains("forbidden")) {
            return " The credentials may read but not write there: allow pushes to that repository (ECR:"
                    + " ecr:InitiateLayerUpload, ecr:UploadLayerPart, ecr:CompleteLayerUpload, ecr:PutImage).";
        }
        if (lower.contains("name unknown") || lower.contains("repository") && lower.contains("not exist")) {
            return " The repository does not exist: create it, or set ecrCreateRepository.";
        }
        return "";
    }

    /**
     * BuildKit names an export only by backend type ("exporting cache to registry"): name it after
     * the user's own entries, so that the log and the result file say which cache failed.
     */
    private static List<CacheProblem> namedAfterUserEntries(BuildSpec spec, List<CacheProblem> problems) {
        return problems.stream()
                .map(p -> p.direction() == CacheProblem.Direction.IMPORT
                        ? p
                        : new CacheProblem(p.direction(), exportsOfType(spec, p.target()), p.message()))
                .toList();
    }

    private static String exportsOfType(BuildSpec spec, String type) {
        List<String> matching = spec.cache().exports().stream()
                .filter(e -> e.type().equals(type))
                .map(CacheBackend::describe)
                .toList();
        return matching.isEmpty() ? type : String.join(", ", matching);
    }

    private Optional<String> readDigest(BuildSpec spec) throws LayercacheException {
        try {
            Optional<String> digest = BuildMetadata.read(spec.metadataFile()).imageDigest();
            if (digest.isEmpty()) {
                log.warn("buildx reported no image digest in " + spec.metadataFile());
            }
            return digest;
        } catch (NoSuchFileException e) {
            log.warn("buildx wrote no metadata file at " + spec.metadataFile() + ": the image digest is unknown.");
            return Optional.empty();
        } catch (IOException e) {
            throw new LayercacheException(
                    "Cannot read the buildx metadata file " + spec.metadataFile() + ": " + e.getMessage());
        }
    }

    private static void prepareMetadataFile(BuildSpec spec) throws LayercacheException {
        try {
            Files.createDirectories(spec.metadataFile().toAbsolutePath().getParent());
            Files.deleteIfExists(spec.metadataFile());
        } catch (IOException e) {
            throw new LayercacheException("Cannot prepare " + spec.metadataFile() + ": " + e.getMessage());
        }
    }

    private BuildFailedException explainFailure(
            BuildSpec spec, ProcessResult result, ProgressTracker tracker, List<String> lastLines) {
        String output = String.join("\n", lastLines);
        if (output.contains("'buildx' is not a docker command") || output.contains("unknown command: docker buildx")) {
            return new BuildFailedException("The docker buildx plugin is not installed for '" + docker.executable()
                    + "'. Install it (Debian: docker-buildx, Docker's packages: docker-buildx-plugin).");
        }
        if (output.toLowerCase(Locale.ROOT).matches("(?s).*cache export.*not supported for (the )?docker driver.*")) {
            return new BuildFailedException(
                    "The builder cannot export a registry cache: the docker driver needs the containerd image store"
                            + " for that. Turn the containerd image store on, or use a docker-container builder.",
                    "builder");
        }
        if (output.contains("no builder") && output.contains("found") && spec.builderName() != null) {
            return new BuildFailedException(
                    "The buildx builder '" + spec.builderName() + "' does not exist. Create it (the buildx-setup goal,"
                            + " or docker buildx create --name " + spec.builderName() + "), or name an existing one.",
                    "builder");
        }
        if (output.contains("Cannot connect to the Docker daemon")) {
            return new BuildFailedException("The Docker daemon is not running or not reachable ("
                    + firstLineContaining(lastLines, "Cannot connect") + "). Start Docker, or set DOCKER_HOST.");
        }
        return new BuildFailedException(tracker.failureReport()
                .map(report -> "docker buildx build failed (exit " + result.exitCode() + "). " + report)
                .orElse("docker buildx build failed (exit " + result.exitCode() + "). Last output:\n  "
                        + String.join("\n  ", lastLines)));
    }

    private static String firstLineContaining(List<String> lines, String text) {
        return lines.stream()
                .filter(l -> l.contains(text))
                .findFirst()
                .orElse(text)
                .trim();
    }
}
