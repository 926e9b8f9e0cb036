package io.github.layercache.buildx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.github.layercache.cache.CacheProblem;
import io.github.layercache.cache.CacheProblem.Direction;
import io.github.layercache.inputs.StepRun;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressTrackerTest {

    /** A source change after a prune, as BuildKit v0.13 printed it: [3/4] came from the registry cache. */
    private static final List<String> PULLED_HIT_THEN_RUN = List.of(
            "#6 [1/4] FROM 127.0.0.1:5501/base:1@sha256:" + "e".repeat(64),
            "#6 DONE 0.0s",
            "#7 [2/4] COPY gradlew /work/gradlew",
            "#7 CACHED",
            "#8 [3/4] RUN ls -l /work/gradlew > /work/deps.txt",
            "#8 sha256:" + "a".repeat(64) + " 158B / 158B 0.1s done",
            "#8 sha256:" + "c".repeat(64) + " 1.07MB / 1.07MB 0.1s done",
            "#8 extracting sha256:" + "c".repeat(64) + " 0.1s done",
            "#8 DONE 0.4s",
            "#9 [4/4] RUN cat /work/src/*.txt",
            "#9 0.215 main",
            "#9 DONE 0.3s");

    @Test
    void theFirstStepThatRunsIsSignalledOnceAndCachedOrDownloadedStepsAreNot() {
        ProgressTracker tracker = new ProgressTracker();
        List<String> signals = new java.util.ArrayList<>();
        tracker.whenAStepRuns(() -> signals.add("ran"));
        PULLED_HIT_THEN_RUN.subList(0, 10).forEach(tracker::accept);
        assertThat(signals).isEmpty();

        PULLED_HIT_THEN_RUN.subList(10, PULLED_HIT_THEN_RUN.size()).forEach(tracker::accept);
        assertThat(signals).containsExactly("ran");
    }

    @Test
    void stepRunsTellACacheHitBuildKitDownloadedFromAStepThatRan() {
        // A source change after a prune, as BuildKit v0.13 printed it: [3/4] came from the registry cache,
        // pulled because [4/4] runs on it, and is not marked CACHED.
        ProgressTracker tracker = new ProgressTracker();
        PULLED_HIT_THEN_RUN.forEach(tracker::accept);

        assertThat(tracker.stepRuns())
                .extracting(StepRun::name, StepRun::from, StepRun::cached, StepRun::pulledLayers)
                .containsExactly(
                        tuple("[1/4] FROM 127.0.0.1:5501/base:1@sha256:" + "e".repeat(64), true, false, false),
                        tuple("[2/4] COPY gradlew /work/gradlew", false, true, false),
                        tuple("[3/4] RUN ls -l /work/gradlew > /work/deps.txt", false, false, true),
                        tuple("[4/4] RUN cat /work/src/*.txt", false, false, false));
    }

    @Test
    void coldBuildCountsStepsWithoutFromAndNoneCached() {
        ProgressTracker tracker = Fixtures.track("cold-build.log");

        assertThat(tracker.totalSteps()).isEqualTo(3);
        assertThat(tracker.cachedSteps()).isZero();
        assertThat(tracker.cachedStepNames()).isEmpty();
    }

    @Test
    void coldBuildReportsTheMissingCacheAsAMiss() {
        ProgressTracker tracker = Fixtures.track("cold-build.log");

        assertThat(tracker.cacheProblems()).singleElement().satisfies(problem -> {
            assertThat(problem.direction()).isEqualTo(Direction.IMPORT);
            assertThat(problem.target()).isEqualTo("127.0.0.1:5501/probe:cache");
            assertThat(problem.isMiss()).isTrue();
        });
    }

    @Test
    void coldBuildHasNoFailure() {
        assertThat(Fixtures.track("cold-build.log").failureReport()).isEmpty();
    }

    @Test
    void warmBuildCountsStepsFromTheRegistryCache() {
        ProgressTracker tracker = Fixtures.track("warm-build.log");

        assertThat(tracker.totalSteps()).isEqualTo(3);
        assertThat(tracker.cachedSteps()).isEqualTo(2);
        assertThat(tracker.cachedStepNames())
                .containsExactlyInAnyOrder(
                        "[deps 2/2] RUN echo \"deps 13344\" && sleep 3 && echo done > /deps.txt",
                        "[stage-1 2/3] COPY --from=deps /deps.txt /deps.txt");
    }

    @Test
    void warmBuildHasNoCacheProblems() {
        assertThat(Fixtures.track("warm-build.log").cacheProblems()).isEmpty();
    }

    @Test
    void unreachableCacheReportsAFailedImportThatIsNotAMiss() {
        ProgressTracker tracker = Fixtures.track("unreachable-cache.log");

        assertThat(tracker.cacheProblems())
                .filteredOn(p -> p.direction() == Direction.IMPORT)
                .singleElement()
                .satisfies(problem -> {
                    assertThat(problem.target()).isEqualTo("127.0.0.1:5999/probe:cache");
                    assertThat(problem.isMiss()).isFalse();
                    assertThat(problem.message()).contains("connection refused");
                });
    }

    @Test
    void unreachableCacheReportsAFailedExportToTheRegistryBackend() {
        ProgressTracker tracker = Fixtures.track("unreachable-cache.log");

        assertThat(tracker.cacheProblems())
                .filteredOn(p -> p.direction() == Direction.EXPORT)
                .singleElement()
                .satisfies(problem -> {
                    assertThat(problem.target()).isEqualTo("registry");
                    assertThat(problem.isMiss()).isFalse();
                    assertThat(problem.message()).startsWith("error writing layer blob");
                });
        assertThat(tracker.cacheProblems()).hasSize(2);
    }

    @Test
    void unreachableCacheStillCountsTheBuiltSteps() {
        ProgressTracker tracker = Fixtures.track("unreachable-cache.log");

        assertThat(tracker.totalSteps()).isEqualTo(3);
        assertThat(tracker.cachedSteps()).isZero();
        assertThat(tracker.failureReport()).isEmpty();
    }

    @Test
    void failedStepReportNamesTheStepTheErrorAndItsOutput() {
        ProgressTracker tracker = Fixtures.track("failed-step.log");

        assertThat(tracker.failureReport()).hasValueSatisfying(report -> assertThat(report)
                .startsWith("Step [2/2] RUN echo line1 && echo line2 && exit 3 failed: ")
                .contains("did not complete successfully: exit code: 3")
                .contains("line1")
                .contains("line2"));
    }

    @Test
    void failedStepReportShowsOutputLinesWithoutTimestamps() {
        ProgressTracker tracker = Fixtures.track("failed-step.log");

        assertThat(tracker.failureReport().orElseThrow())
                .endsWith("\nLast output of the step:\n  line1\n  line2")
                .doesNotContain("0.075");
    }

    @Test
    void failedStepIsNotACacheProblem() {
        assertThat(Fixtures.track("failed-step.log").cacheProblems()).isEmpty();
    }

    @Test
    void cachedFromStepIsNotCounted() {
        ProgressTracker tracker = Fixtures.track("failed-step.log");

        assertThat(tracker.totalSteps()).isEqualTo(1);
        assertThat(tracker.cachedSteps()).isZero();
    }

    @Test
    void solveErrorWithoutAFailedStepIsTheReport() {
        ProgressTracker tracker = new ProgressTracker();
        tracker.accept("#1 [internal] load build definition from Dockerfile");
        tracker.accept("ERROR: failed to solve: failed to read dockerfile: open Dockerfile: no such file or directory");

        assertThat(tracker.failureReport())
                .contains("failed to solve: failed to read dockerfile: open Dockerfile: no such file or directory");
    }

    @Test
    void keepsOnlyTheLastFifteenOutputLinesOfAFailedStep() {
        ProgressTracker tracker = new ProgressTracker();
        tracker.accept("#5 [2/2] RUN ./build.sh");
        for (int i = 1; i <= 20; i++) {
            tracker.accept("#5 0." + i + " output " + i);
        }
        tracker.accept("#5 ERROR: process did not complete successfully: exit code: 1");

        String report = tracker.failureReport().orElseThrow();

        assertThat(report).contains("output 6\n").contains("output 20").doesNotContain("output 5\n");
    }

    @Test
    void missIsOnlyANotFoundImport() {
        assertThat(new CacheProblem(Direction.IMPORT, "r/app:c", "x: not found").isMiss())
                .isTrue();
        assertThat(new CacheProblem(Direction.EXPORT, "registry", "x: not found").isMiss())
                .isFalse();
        assertThat(new CacheProblem(Direction.IMPORT, "r/app:c", "connection refused").isMiss())
                .isFalse();
    }

    @Test
    void countsStepsOfAStageWithTenOrMoreInstructions() {
        ProgressTracker tracker = new ProgressTracker();
        tracker.accept("#4 [ 1/10] FROM docker.io/library/alpine:3");
        tracker.accept("#4 CACHED");
        tracker.accept("#5 [ 2/10] RUN apk add make");
        tracker.accept("#5 CACHED");
        tracker.accept("#6 [build  3/10] COPY . .");
        tracker.accept("#6 DONE 0.1s");
        tracker.accept("#7 [10/10] RUN make");
        tracker.accept("#7 DONE 2.0s");

        assertThat(tracker.totalSteps()).isEqualTo(3);
        assertThat(tracker.cachedSteps()).isEqualTo(1);
    }

    @Test
    void countsStepsOfANamedStageInAMultiPlatformBuild() {
        ProgressTracker tracker = new ProgressTracker();
        tracker.accept("#8 [linux/arm64 build 2/3] RUN make");
        tracker.accept("#8 CACHED");
        tracker.accept("#9 [linux/amd64 build 2/3] RUN make");
        tracker.accept("#9 CACHED");

        assertThat(tracker.totalSteps()).isEqualTo(2);
        assertThat(tracker.cachedSteps()).isEqualTo(2);
    }

    @Test
    void interleavedOutputKeepsOnlyTheStepsOwnLines() {
        ProgressTracker tracker = new ProgressTracker();
        tracker.accept("#7 [build 2/2] RUN make");
        tracker.accept("#7 0.101 compiling");
        tracker.accept("#7 ...");
        tracker.accept("");
        tracker.accept("#8 [test 2/2] RUN make test");
        tracker.accept("#8 0.200 testing");
        tracker.accept("#8 ...");
        tracker.accept("");
        tracker.accept("#7 [build 2/2] RUN make");
        tracker.accept("#7 1.500 linking");
        tracker.accept("#7 ERROR: process \"/bin/sh -c make\" did not complete successfully: exit code: 2");

        assertThat(tracker.failureReport().orElseThrow())
                .endsWith("\nLast output of the step:\n  compiling\n  linking");
    }

    @Test
    void aVertexNumberTooLargeForAnIntIsNotAVertex() {
        ProgressTracker tracker = new ProgressTracker();

        tracker.accept("#99999999999 [1/2] RUN make");
        tracker.accept("#5 [2/2] RUN make");

        assertThat(tracker.totalSteps()).isEqualTo(1);
    }

    @Test
    void layersDownloadedFromTheRegistryCacheAreCountedButNotAsCachedSteps() {
        // A rebuild after a prune: the final stage's RUN layers come from the registry cache for --load,
        // shown as layer downloads instead of CACHED (nothing ran, but the log cannot tell).
        ProgressTracker tracker = Fixtures.track("pulled-cache-multi-platform.log");

        assertThat(tracker.totalSteps()).isEqualTo(2);
        assertThat(tracker.cachedSteps()).isZero();
        assertThat(tracker.pulledBytes()).isEqualTo(195 + 1_040_000 + 1_070_000 + 195);
    }

    @Test
    void aStepThatRanIsNotCachedEvenWhenItDownloadedSomething() {
        ProgressTracker tracker = new ProgressTracker();
        List.of(
                        "#7 [2/2] RUN make",
                        "#7 sha256:" + "a".repeat(64) + " 2.5kB / 2.5kB 0.0s done",
                        "#7 0.412 compiling",
                        "#7 DONE 1.2s")
                .forEach(tracker::accept);

        assertThat(tracker.cachedSteps()).isZero();
        assertThat(tracker.totalSteps()).isEqualTo(1);
        assertThat(tracker.pulledBytes()).isEqualTo(2500);
    }

    @Test
    void downloadSizesInEveryUnit() {
        ProgressTracker tracker = new ProgressTracker();
        tracker.accept("#3 [2/3] COPY --from=deps /opt /opt");
        tracker.accept("#3 sha256:" + "b".repeat(64) + " 121.34MB / 121.34MB 1.8s done");
        tracker.accept("#3 sha256:" + "c".repeat(64) + " 1.2GB / 1.2GB 9.1s done");
        tracker.accept("#3 sha256:" + "d".repeat(64) + " 10.49MB / 121.34MB 0.2s");
        tracker.accept("#3 DONE 9.2s");

        assertThat(tracker.pulledBytes()).isEqualTo(121_340_000L + 1_200_000_000L);
        assertThat(tracker.cachedSteps()).isZero();
    }
}
