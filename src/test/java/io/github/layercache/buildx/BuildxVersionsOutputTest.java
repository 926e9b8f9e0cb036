package io.github.layercache.buildx;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.layercache.cache.CacheProblem;
import io.github.layercache.cache.CacheProblem.Direction;
import io.github.layercache.process.CapturedRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same builds as both tested toolchains print them: buildx 0.13.1 on Docker 26.1 (the fixtures at
 * the top of {@code /progress}) and buildx 0.29.1 on Docker 28.5.2's own BuildKit ({@code /progress/buildx-0.29},
 * captured on the today lane with the docker driver). Whatever the version, the plugin reads the same facts.
 */
class BuildxVersionsOutputTest {

    /**
     * @param directory the fixtures' directory below {@code /progress}
     * @param cache the cache ref the cold and warm builds used
     * @param warmCached how many steps the warm build took from the registry cache
     * @param digest the image digest in the metadata file
     */
    record Toolchain(String directory, String cache, int warmCached, String digest, String name) {
        String fixture(String file) {
            return directory + file;
        }

        @Override
        public String toString() {
            return directory.isEmpty() ? "buildx 0.13" : "buildx 0.29";
        }
    }

    static Stream<Toolchain> toolchains() {
        return Stream.of(
                new Toolchain(
                        "",
                        "127.0.0.1:5501/probe:cache",
                        2,
                        "sha256:fd9164660368eb80ea83d9ad08c17bd027f7a5135d6a80d54c53fa39bdb00b34",
                        "127.0.0.1:5501/probe:1"),
                new Toolchain(
                        "buildx-0.29/",
                        "127.0.0.1:5501/probe-today:cache",
                        3,
                        "sha256:11c3da4abc3cb78ff9a9a77c9807ddf6b02f2183b6e9511d81ff639d1a01c0f0",
                        "127.0.0.1:5501/probe-today:1"));
    }

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @MethodSource("toolchains")
    void aColdBuildRunsEveryStepAndItsMissingCacheIsAMiss(Toolchain toolchain) {
        ProgressTracker tracker = Fixtures.track(toolchain.fixture("cold-build.log"));

        assertThat(tracker.totalSteps()).isEqualTo(3);
        assertThat(tracker.cachedSteps()).isZero();
        assertThat(tracker.failureReport()).isEmpty();
        assertThat(tracker.cacheProblems()).singleElement().satisfies(problem -> {
            assertThat(problem.direction()).isEqualTo(Direction.IMPORT);
            assertThat(problem.target()).isEqualTo(toolchain.cache());
            assertThat(problem.isMiss()).isTrue();
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("toolchains")
    void aWarmBuildCountsTheStepsFromTheRegistryCache(Toolchain toolchain) {
        ProgressTracker tracker = Fixtures.track(toolchain.fixture("warm-build.log"));

        assertThat(tracker.totalSteps()).isEqualTo(3);
        assertThat(tracker.cachedSteps()).isEqualTo(toolchain.warmCached());
        assertThat(tracker.cachedStepNames())
                .contains("[deps 2/2] RUN echo \"deps 13344\" && sleep 3 && echo done > /deps.txt");
        assertThat(tracker.cacheProblems()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("toolchains")
    void anUnreachableCacheIsAFailedImportAndExportNotAMiss(Toolchain toolchain) {
        ProgressTracker tracker = Fixtures.track(toolchain.fixture("unreachable-cache.log"));

        assertThat(tracker.cacheProblems()).hasSize(2).noneMatch(CacheProblem::isMiss);
        assertThat(tracker.cacheProblems())
                .filteredOn(p -> p.direction() == Direction.IMPORT)
                .singleElement()
                .satisfies(problem -> {
                    assertThat(problem.target()).isEqualTo("127.0.0.1:5999/probe:cache");
                    assertThat(problem.message()).contains("connection refused");
                });
        assertThat(tracker.cacheProblems())
                .filteredOn(p -> p.direction() == Direction.EXPORT)
                .singleElement()
                .satisfies(problem -> assertThat(problem.message()).startsWith("error writing layer blob"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("toolchains")
    void aFailedStepIsReportedWithItsLastOutput(Toolchain toolchain) {
        ProgressTracker tracker = Fixtures.track(toolchain.fixture("failed-step.log"));

        assertThat(tracker.failureReport()).hasValueSatisfying(report -> assertThat(report)
                .startsWith("Step [2/2] RUN echo line1 && echo line2 && exit 3 failed: ")
                .contains("did not complete successfully: exit code: 3")
                .endsWith("\nLast output of the step:\n  line1\n  line2"));
        assertThat(tracker.cacheProblems()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("toolchains")
    void theMetadataFileGivesTheDigestAndName(Toolchain toolchain) throws Exception {
        Path file = Files.writeString(dir.resolve("metadata.json"), Fixtures.text(toolchain.fixture("metadata.json")));

        BuildMetadata metadata = BuildMetadata.read(file);

        assertThat(metadata.imageDigest()).contains(toolchain.digest());
        assertThat(metadata.imageName()).contains(toolchain.name());
    }

    @org.junit.jupiter.api.Test
    void buildx029InspectGivesNameDriverAndStatus() {
        CapturedRun inspected = new CapturedRun(0, Fixtures.lines("buildx-0.29/inspect-default.txt"));

        assertThat(BuilderProbe.values(inspected, "Name:")).containsExactly("default", "default");
        assertThat(BuilderProbe.values(inspected, "Driver:")).containsExactly("docker");
        assertThat(BuilderProbe.values(inspected, "Status:")).containsExactly("running");
    }
}
