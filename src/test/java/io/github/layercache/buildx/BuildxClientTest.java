package io.github.layercache.buildx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.layercache.cache.CachePolicy;
import io.github.layercache.core.BuildFailedException;
import io.github.layercache.core.LayercacheException;
import io.github.layercache.docker.DockerCli;
import io.github.layercache.docker.DockerCommands;
import io.github.layercache.docker.DockerEnvironment;
import io.github.layercache.process.OutputLine;
import io.github.layercache.process.ProcessSpec;
import io.github.layercache.process.ProcessTimeoutException;
import io.github.layercache.registry.ImageReference;
import io.github.layercache.source.CiEnvironment;
import io.github.layercache.spec.BuildSpec;
import io.github.layercache.testing.FakeDocker;
import io.github.layercache.testing.RecordingBuildLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildxClientTest {

    private static final String DIGEST = "sha256:fd9164660368eb80ea83d9ad08c17bd027f7a5135d6a80d54c53fa39bdb00b34";
    private static final String CACHE_REF = "127.0.0.1:5501/probe:cache";
    private static final CiEnvironment NOT_CI = CiEnvironment.detect(Map.of(), Optional.empty());

    @TempDir
    Path dir;

    private Path context;
    private final FakeBuild runner = new FakeBuild();
    private final RecordingBuildLog log = new RecordingBuildLog();

    @BeforeEach
    void createContext() throws IOException {
        context = Files.createDirectories(dir.resolve("ctx"));
        Files.writeString(context.resolve("Dockerfile"), "FROM scratch\n");
    }

    @Test
    void runsExactlyTheBuildxCommandWithTheGivenEnvironment() throws Exception {
        BuildSpec spec = spec(CACHE_REF, false);
        runner.replay("cold-build.log").writesMetadata(Fixtures.text("metadata.json"));

        client().build(
                        spec,
                        new DockerEnvironment(Map.of("DOCKER_CONFIG", "/tmp/docker-config"), Set.of("hunter2")),
                        () -> {});

        ProcessSpec recorded = runner.recorded();
        assertThat(recorded.command())
                .isEqualTo(Stream.concat(Stream.of("docker"), DockerCommands.build(spec).args().stream())
                        .toList());
        assertThat(recorded.environment()).containsExactly(Map.entry("DOCKER_CONFIG", "/tmp/docker-config"));
        assertThat(recorded.redactions()).containsExactly("hunter2");
        assertThat(recorded.workingDirectory()).isEqualTo(spec.contextDirectory());
        assertThat(recorded.timeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(log.debugs()).contains("Running " + String.join(" ", recorded.command()));
    }

    @Test
    void coldBuildOutcomeHasDigestAndSteps() throws Exception {
        BuildSpec spec = spec(CACHE_REF, false);
        runner.replay("cold-build.log").writesMetadata(Fixtures.text("metadata.json"));

        BuildOutcome outcome = client().build(spec, DockerEnvironment.inherited(), () -> {});

        assertThat(outcome.digest()).contains(DIGEST);
        assertThat(outcome.totalSteps()).isEqualTo(3);
        assertThat(outcome.cachedSteps()).isZero();
        assertThat(outcome.duration()).isEqualTo(FakeDocker.DURATION);
        assertThat(outcome.spec()).isSameAs(spec);
    }

    @Test
    void coldBuildCacheMissIsInformationNotAWarning() throws Exception {
        runner.replay("cold-build.log").writesMetadata(Fixtures.text("metadata.json"));

        client().build(spec(CACHE_REF, true), DockerEnvironment.inherited(), () -> {});

        assertThat(log.warnings()).isEmpty();
        assertThat(log.infos()).contains("No cache at " + CACHE_REF + " yet: this build starts it.");
    }

    @Test
    void theResultLineMarksACacheThatDidNotExistYet() throws Exception {
        runner.replay("cold-build.log").writesMetadata(Fixtures.text("metadata.json"));

        BuildOutcome outcome = client().build(spec(CACHE_REF, true), DockerEnvironment.inherited(), () -> {});

        assertThat(outcome.summary()).endsWith("; cache " + CACHE_REF + " (none yet) -> " + CACHE_REF);
    }

    @Test
    void aCacheMissWithTheExportOffSaysThatNoCacheIsStartedAndWhy() throws Exception {
        runner.replay("cold-build.log").writesMetadata(Fixtures.text("metadata.json"));
        BuildSpec spec = BuildSpec.builder()
                .timeout(Duration.ofHours(1))
                .provenance("false")
                .contextDirectory(context)
                .image(ImageReference.parse("127.0.0.1:5501/probe", "image"))
                .tags(List.of("1"))
                .cache(new CachePolicy(true, CACHE_REF, "max", List.of(), List.of(), true, NOT_CI, false).resolve())
                .metadataFile(dir.resolve("target/layercache-buildx-metadata.json"))
                .build();

        BuildOutcome outcome = client().build(spec, DockerEnvironment.inherited(), () -> {});

        assertThat(log.infos()).noneMatch(line -> line.contains("this build starts it"));
        assertThat(log.infos())
                .anyMatch(
                        line -> line.startsWith("No cache at " + CACHE_REF + " yet, and this build does not export one")
                                && line.contains("cacheExportOnlyInCi")
                                && line.contains("no CI detected"));
        assertThat(outcome.summary()).contains("-> (no export: not in CI)");
    }

    @Test
    void aLargePullForACopyWithoutLinkIsSaidOnceWithWhatToDo() throws Exception {
        runner.replay(List.of(
                        "#7 [stage-1 2/3] COPY --from=deps /opt/deps /opt/deps",
                        "#7 sha256:" + "a".repeat(64) + " 121.34MB / 121.34MB 1.8s done",
                        "#7 DONE 1.9s",
                        "#8 [stage-1 3/3] COPY --link app.txt /app/app.txt",
                        "#8 sha256:" + "b".repeat(64) + " 2.1kB / 2.1kB 0.0s done",
                        "#8 DONE 0.0s"))
                .writesMetadata(Fixtures.text("metadata.json"));

        BuildOutcome outcome = client().build(spec(CACHE_REF, false), DockerEnvironment.inherited(), () -> {});

        assertThat(outcome.pulledBytes()).isEqualTo(121_340_000L + 2_100L);
        assertThat(outcome.summary()).contains("; 121.3 MB of cached layers pulled");
        assertThat(log.infos())
                .filteredOn(line -> line.contains("COPY without --link"))
                .singleElement()
                .asString()
                .startsWith("[stage-1 2/3] COPY --from=deps /opt/deps /opt/deps downloaded 121.3 MB of cached layers")
                .contains("With COPY --link in the final stage");
    }

    @Test
    void smallPullsAndLinkedCopiesAreNotRemarkedOn() throws Exception {
        runner.replay(List.of(
                        "#8 [stage-1 3/3] COPY --link --from=deps /opt/deps /opt/deps",
                        "#8 sha256:" + "b".repeat(64) + " 121.34MB / 121.34MB 1.8s done",
                        "#8 DONE 1.9s",
                        "#9 [stage-1 3/3] COPY app.txt /app/app.txt",
                        "#9 sha256:" + "c".repeat(64) + " 2.1kB / 2.1kB 0.0s done",
                        "#9 DONE 0.0s"))
                .writesMetadata(Fixtures.text("metadata.json"));

        client().build(spec(CACHE_REF, false), DockerEnvironment.inherited(), () -> {});

        assertThat(log.infos()).noneMatch(line -> line.contains("COPY without --link"));
    }

    @Test
    void everyOutputLineIsLogged() throws Exception {
        runner.replay("warm-build.log").writesMetadata(Fixtures.text("metadata.json"));

        client().build(spec(CACHE_REF, false), DockerEnvironment.inherited(), () -> {});

        assertThat(log.infos()).containsSubsequence(Fixtures.lines("warm-build.log"));
    }

    @Test
    void warmBuildOutcomeCountsCachedSteps() throws Exception {
        runner.replay("warm-build.log").writesMetadata(Fixtures.text("metadata.json"));

        BuildOutcome outcome = client().build(spec(CACHE_REF, false), DockerEnvironment.inherited(), () -> {});

        assertThat(outcome.cachedSteps()).isEqualTo(2);
        assertThat(outcome.totalSteps()).isEqualTo(3);
        assertThat(outcome.cacheProblems()).isEmpty();
        assertThat(log.warnings()).isEmpty();
    }

    @Test
    void unreachableCacheWarnsAboutImportAndExportAndStillSucceeds() throws Exception {
        String ref = "127.0.0.1:5999/probe:cache";
        runner.replay("unreachable-cache.log").writesMetadata(Fixtures.text("metadata.json"));

        BuildOutcome outcome = client().build(spec(ref, false), DockerEnvironment.inherited(), () -> {});

        assertThat(outcome.digest()).contains(DIGEST);
        assertThat(outcome.cacheProblems()).hasSize(2);
        assertThat(log.warnings()).hasSize(2);
        assertThat(log.warnings().get(0))
                .startsWith("Could not import the cache from " + ref + " (")
                .contains("connection refused")
                .endsWith("the build went on without it.");
        assertThat(log.warnings().get(1))
                .startsWith("Could not export the cache to " + ref + " (error writing layer blob")
                .contains("the next build cannot reuse its layers");
        assertThat(outcome.summary())
                .endsWith("; cache " + ref + " (not read) -> " + ref + " (not written) (2 problems, see warnings)");
    }

    @Test
    void unreachableCacheFailsAStrictBuild() {
        runner.replay("unreachable-cache.log").writesMetadata(Fixtures.text("metadata.json"));

        BuildFailedException e = catchThrowableOfType(BuildFailedException.class, () -> client().build(
                        spec("127.0.0.1:5999/probe:cache", true), DockerEnvironment.inherited(), () -> {}));

        assertThat(e).isNotNull();
        assertThat(e.parameter()).contains("cacheStrict");
        assertThat(e)
                .hasMessageContaining("Could not import the cache from 127.0.0.1:5999/probe:cache")
                .hasMessageContaining("strict");
    }

    @Test
    void failedStepNamesTheStepAndShowsItsLastLines() {
        runner.replay("failed-step.log").exitsWith(1);

        BuildFailedException e = failure();

        assertThat(e.parameter()).isEmpty();
        assertThat(e)
                .hasMessageStartingWith("docker buildx build failed (exit 1). ")
                .hasMessageContaining("Step [2/2] RUN echo line1 && echo line2 && exit 3 failed")
                .hasMessageContaining("exit code: 3")
                .hasMessageContaining("line1")
                .hasMessageContaining("line2");
    }

    @Test
    void missingBuildxPluginIsExplained() {
        runner.replay(List.of("docker: 'buildx' is not a docker command.", "See 'docker --help'"))
                .exitsWith(1);

        BuildFailedException e = failure();

        assertThat(e).hasMessageContaining("buildx plugin is not installed").hasMessageContaining("Install it");
    }

    @Test
    void unreachableDaemonIsExplained() {
        runner.replay(
                        List.of(
                                "ERROR: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?"))
                .exitsWith(1);

        BuildFailedException e = failure();

        assertThat(e)
                .hasMessageContaining("Docker daemon is not running or not reachable")
                .hasMessageContaining("unix:///var/run/docker.sock");
    }

    @Test
    void unexplainedFailureShowsTheLastOutput() {
        runner.replay(List.of("something odd", "went wrong")).exitsWith(2);

        BuildFailedException e = failure();

        assertThat(e).hasMessage("docker buildx build failed (exit 2). Last output:\n  something odd\n  went wrong");
    }

    @Test
    void programThatCannotStartNamesDockerExecutable() {
        IOException cause = new IOException("Cannot run program \"docker\": error=2, No such file or directory");
        runner.throwing(cause);

        LayercacheException e = catchThrowableOfType(LayercacheException.class, () -> client().build(
                        spec(CACHE_REF, false), DockerEnvironment.inherited(), () -> {}));

        assertThat(e).isNotNull().isNotInstanceOf(BuildFailedException.class);
        assertThat(e.parameter()).contains("dockerExecutable");
        assertThat(e).hasCause(cause).hasMessageContaining("Cannot run 'docker'");
    }

    @Test
    void timeoutNamesTimeoutSeconds() {
        runner.throwing(new ProcessTimeoutException("docker buildx build", Duration.ofMinutes(10)));

        BuildFailedException e = failure();

        assertThat(e.parameter()).contains("timeoutSeconds");
        assertThat(e).hasMessageContaining("600 s");
    }

    @Test
    void missingMetadataFileGivesNoDigestAndAWarning() throws Exception {
        runner.replay("warm-build.log");

        BuildOutcome outcome = client().build(spec(CACHE_REF, false), DockerEnvironment.inherited(), () -> {});

        assertThat(outcome.digest()).isEmpty();
        assertThat(log.warnings()).singleElement().asString().contains("wrote no metadata file");
    }

    @Test
    void staleMetadataFromAnEarlierBuildIsNotReused() throws Exception {
        BuildSpec spec = spec(CACHE_REF, false);
        Files.createDirectories(spec.metadataFile().getParent());
        Files.writeString(spec.metadataFile(), Fixtures.text("metadata.json"));
        runner.replay("warm-build.log");

        BuildOutcome outcome = client().build(spec, DockerEnvironment.inherited(), () -> {});

        assertThat(outcome.digest()).isEmpty();
    }

    @Test
    void metadataWithoutDigestWarns() throws Exception {
        runner.replay("warm-build.log").writesMetadata("{\"buildx.build.ref\": \"x\"}");

        BuildOutcome outcome = client().build(spec(CACHE_REF, false), DockerEnvironment.inherited(), () -> {});

        assertThat(outcome.digest()).isEmpty();
        assertThat(log.warnings()).singleElement().asString().contains("no image digest");
    }

    @Test
    void unreadableMetadataFails() {
        runner.replay("warm-build.log").writesMetadata("{broken");

        LayercacheException e = catchThrowableOfType(LayercacheException.class, () -> client().build(
                        spec(CACHE_REF, false), DockerEnvironment.inherited(), () -> {}));

        assertThat(e).isNotNull().hasMessageContaining("Cannot read the buildx metadata file");
    }

    private BuildFailedException failure() {
        BuildFailedException e = catchThrowableOfType(BuildFailedException.class, () -> client().build(
                        spec(CACHE_REF, false), DockerEnvironment.inherited(), () -> {}));
        assertThat(e).as("build must fail").isNotNull();
        return e;
    }

    private BuildxClient client() {
        return new BuildxClient(new DockerCli("docker", runner.docker, log), log);
    }

    @Test
    void aCredentialInACacheSpecIsMaskedInTheLogAndInTheChildsOutput() throws Exception {
        BuildSpec spec = BuildSpec.builder()
                .timeout(Duration.ofHours(1))
                .provenance("false")
                .contextDirectory(context)
                .image(ImageReference.parse("127.0.0.1:5501/probe", "image"))
                .tags(List.of("1"))
                .cache(new CachePolicy(
                                true,
                                CACHE_REF,
                                "max",
                                List.of(),
                                List.of("type=s3,bucket=b,region=eu-west-1,secret_access_key=s3-secret-value"),
                                false,
                                NOT_CI,
                                false)
                        .resolve())
                .metadataFile(dir.resolve("target/layercache-buildx-metadata.json"))
                .build();
        runner.replay("cold-build.log").writesMetadata(Fixtures.text("metadata.json"));

        client().build(spec, new DockerEnvironment(Map.of(), Set.of("hunter2")), () -> {});

        ProcessSpec recorded = runner.recorded();
        assertThat(recorded.redactions()).containsExactlyInAnyOrder("hunter2", "s3-secret-value");
        assertThat(String.join(" ", recorded.command())).contains("secret_access_key=s3-secret-value");
        assertThat(log.debugs()).noneMatch(line -> line.contains("s3-secret-value"));
        assertThat(log.debugs()).anyMatch(line -> line.contains("secret_access_key=****"));
    }

    private BuildSpec spec(String cacheRef, boolean strict) throws Exception {
        return BuildSpec.builder()
                .provenance("false")
                .contextDirectory(context)
                .image(ImageReference.parse("127.0.0.1:5501/probe", "image"))
                .tags(List.of("1"))
                .timeout(Duration.ofMinutes(10))
                .cache(new CachePolicy(true, cacheRef, "max", List.of(), List.of(), false, NOT_CI, strict).resolve())
                .metadataFile(dir.resolve("target/layercache-buildx-metadata.json"))
                .build();
    }

    /** What the faked {@code docker buildx build} prints, writes to its metadata file and exits with. */
    private static final class FakeBuild {
        private final FakeDocker docker = new FakeDocker();
        private List<String> lines = List.of();
        private int exitCode;
        private String metadata;

        FakeBuild() {
            docker.on("buildx build", (call, out) -> {
                lines.forEach(line -> out.accept(OutputLine.Stream.STDERR, line));
                if (metadata != null) {
                    Files.writeString(Path.of(call.option("--metadata-file")), metadata);
                }
                return FakeDocker.exit(exitCode);
            });
        }

        FakeBuild replay(String fixture) {
            return replay(Fixtures.lines(fixture));
        }

        FakeBuild replay(List<String> output) {
            lines = output;
            return this;
        }

        FakeBuild exitsWith(int code) {
            exitCode = code;
            return this;
        }

        FakeBuild writesMetadata(String json) {
            metadata = json;
            return this;
        }

        FakeBuild throwing(IOException e) {
            docker.on("buildx build", FakeDocker.throwing(e));
            return this;
        }

        ProcessSpec recorded() {
            assertThat(docker.specs()).hasSize(1);
            return docker.specs().get(0);
        }
    }
}
