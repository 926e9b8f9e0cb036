package io.github.layercache.buildx;

import io.github.layercache.cache.CacheBackend;
import io.github.layercache.cache.CacheProblem;
import io.github.layercache.core.BuildFailedException;
import io.github.layercache.core.LayercacheException;
import io.github.layercache.docker.DockerCli;
import io.github.layercache.docker.DockerCli.Command;
import io.github.layercache.docker.DockerCommands;
import io.github.layercache.docker.DockerEnvironment;
import io.github.layercache.docker.DockerErrors;
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
                        + DockerErrors.cacheExportFix(problem.message());
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

    /** Why the build failed: a cause buildx's output shows, else the failing step's report or the last lines. */
    private BuildFailedException explainFailure(
            BuildSpec spec, ProcessResult result, ProgressTracker tracker, List<String> lastLines) {
        return DockerErrors.buildFailure(lastLines, docker.executable(), spec.builderName())
                .orElseGet(() -> new BuildFailedException(tracker.failureReport()
                        .map(report -> "docker buildx build failed (exit " + result.exitCode() + "). " + report)
                        .orElse("docker buildx build failed (exit " + result.exitCode() + "). Last output:\n  "
                                + String.join("\n  ", lastLines))));
    }
}
