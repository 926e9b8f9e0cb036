package io.github.layercache.inputs;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.layercache.inputs.InputsRecord.FileState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WhyNotCachedTest {

    private static final String DOCKERFILE = String.join(
            "\n",
            "FROM eclipse-temurin:21 AS deps",
            "WORKDIR /app",
            "COPY pom.xml .",
            "RUN mvn -B dependency:go-offline",
            "FROM deps AS build",
            "ARG BUILD_NUMBER",
            "COPY src/ /app/src",
            "RUN mvn -B package",
            "FROM eclipse-temurin:21-jre",
            "COPY --from=build /app/target/app.jar /app.jar",
            "COPY gradlew /gradlew",
            "");
    private static final String BASE = "docker.io/library/eclipse-temurin:21@sha256:" + "a".repeat(64);
    private static final String JRE = "docker.io/library/eclipse-temurin:21-jre@sha256:" + "b".repeat(64);
    private static final String NO_RECORD = "no cache to compare with";

    private final Map<String, FileState> files = new LinkedHashMap<>(Map.of(
            "pom.xml", file("p1", "0644"),
            "src/main/java/App.java", file("a1", "0644"),
            "src/main/java/Util.java", file("u1", "0644"),
            "gradlew", file("g1", "0644")));
    private final Map<String, String> args = new LinkedHashMap<>(Map.of("BUILD_NUMBER", "7"));

    @Test
    void aChangedSourceFileIsNamedAtItsCopyAndTheStepsAfterItAreNotBlamed() {
        InputsRecord before = record(DOCKERFILE, files, args, BASE);
        files.put("src/main/java/App.java", file("a2", "0644"));

        WhyNotCached.Report report = explain(before, DOCKERFILE, runs(false, "build 1", "build 2", "stage-2 2"));

        assertThat(report.misses())
                .extracting(WhyNotCached.Miss::line)
                .containsExactly(
                        "[build 1/2] COPY src/ /app/src: not cached: src/main/java/App.java changed; so 2 steps after it ran"
                                + " too ([build 2/2] RUN mvn -B package, [stage-2 2/3] COPY --from=build /app/target/app.jar"
                                + " /app.jar)");
        assertThat(report.firstCause()).contains("src/main/java/App.java changed");
    }

    @Test
    void aStepBuildKitMissedWithUnchangedInputsDoesNotHideTheChangedInputOfAStepAfterIt() {
        InputsRecord before = record(DOCKERFILE, files, args, BASE);
        files.put("src/main/java/App.java", file("a2", "0644"));

        WhyNotCached.Report report = explain(before, DOCKERFILE, runs(false, "deps 4", "build 1", "build 2"));

        assertThat(report.misses())
                .extracting(WhyNotCached.Miss::line)
                .containsExactly(
                        "[deps 4/4] RUN mvn -B dependency:go-offline: not cached: " + WhyNotCached.INPUTS_UNCHANGED,
                        "[build 1/2] COPY src/ /app/src: not cached: src/main/java/App.java changed; so 1 step after it"
                                + " ran too ([build 2/2] RUN mvn -B package)");
    }

    @Test
    void aCacheHitBuildKitDownloadedIsNoMissAndTheChangedStepAfterItIsNamedAlone() {
        InputsRecord before = record(DOCKERFILE, files, args, BASE);
        files.put("src/main/java/App.java", file("a2", "0644"));
        List<StepRun> runs = runs(false, "deps 4", "build 1", "build 2").stream()
                .map(run -> run.stage().equals("deps") && run.index() == 4
                        ? new StepRun(run.stage(), run.index(), run.name(), run.text(), false, false, true)
                        : run)
                .toList();

        WhyNotCached.Report report = explain(before, DOCKERFILE, runs);

        assertThat(report.misses())
                .extracting(WhyNotCached.Miss::line)
                .containsExactly("[build 1/2] COPY src/ /app/src: not cached: src/main/java/App.java changed; so 1 step"
                        + " after it ran too ([build 2/2] RUN mvn -B package)");
    }

    @Test
    void stepsWithUnchangedInputsAfterAStepBuildKitMissedAreListedUnderIt() {
        InputsRecord before = record(DOCKERFILE, files, args, BASE);

        WhyNotCached.Report report = explain(before, DOCKERFILE, runs(false, "deps 4", "build 1", "build 2"));

        assertThat(report.misses())
                .singleElement()
                .extracting(WhyNotCached.Miss::after)
                .isEqualTo(List.of("[build 1/2] COPY src/ /app/src", "[build 2/2] RUN mvn -B package"));
    }

    @Test
    void pastTheFileBoundAChangeIsNamedByItsTopLevelDirectoryAtTheCopyThatTakesIt() {
        InputsRecord before = truncated(record(DOCKERFILE, files, args, BASE));
        files.put("src/main/java/App.java", file("a2", "0644"));
        InputsRecord now = truncated(record(DOCKERFILE, files, args, BASE));

        WhyNotCached.Report report = explain(before, DOCKERFILE, now, runs(false, "build 1", "build 2", "stage-2 2"));

        assertThat(report.misses())
                .extracting(WhyNotCached.Miss::cause)
                .containsExactly("files under src/ changed (past " + InputsRecord.MAX_FILES
                        + " files the record keeps one hash per top-level directory)");
        // gradlew's own hash did not change: the step that copies it is not blamed.
        assertThat(explain(before, DOCKERFILE, now, runs(false, "stage-2 3")).misses())
                .extracting(WhyNotCached.Miss::cause)
                .containsExactly(WhyNotCached.INPUTS_UNCHANGED);
    }

    /** The record as it is past MAX_FILES: one hash per top-level directory or file. */
    private static InputsRecord truncated(InputsRecord full) {
        return new InputsRecord(
                full.format(),
                full.platforms(),
                full.salt(),
                full.steps(),
                Map.of(),
                InputsRecord.directoryHashes(full.files()),
                full.args(),
                full.baseImages(),
                full.dockerignore());
    }

    @Test
    void aFileModeIsNamedWithBothModes() {
        InputsRecord before = record(DOCKERFILE, files, args, BASE);
        files.put("gradlew", file("g1", "0755"));

        WhyNotCached.Report report = explain(before, DOCKERFILE, runs(false, "stage-2 3"));

        assertThat(report.misses())
                .singleElement()
                .extracting(WhyNotCached.Miss::cause)
                .isEqualTo("mode of gradlew 0644 -> 0755");
    }

    @Test
    void aBuildArgumentIsNamedAtTheFirstRunThatSeesItWithTheAdvice() {
        InputsRecord before = record(DOCKERFILE, files, args, BASE);
        args.put("BUILD_NUMBER", "8");

        WhyNotCached.Report report = explain(before, DOCKERFILE, runs(false, "build 2", "stage-2 2"));

        assertThat(report.misses())
                .extracting(WhyNotCached.Miss::step, WhyNotCached.Miss::cause)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(
                        "[build 2/2] RUN mvn -B package",
                        "build argument BUILD_NUMBER changed (the step does not use it, but sees every ARG declared"
                                + " above it in its stage)"));
        assertThat(report.hints())
                .singleElement()
                .asString()
                .startsWith("A RUN step sees every ARG its stage declared");
    }

    @Test
    void aBuildArgumentTheRunUsesIsNamedWithoutTheAdviceToMoveIt() {
        String dockerfile = DOCKERFILE.replace("RUN mvn -B package", "RUN mvn -B package -Dbuild=${BUILD_NUMBER}");
        InputsRecord before = record(dockerfile, files, args, BASE);
        args.put("BUILD_NUMBER", "8");

        WhyNotCached.Report report =
                explain(before, dockerfile, record(dockerfile, files, args, BASE), runsOf(dockerfile, "build 2"));

        assertThat(report.misses())
                .singleElement()
                .extracting(WhyNotCached.Miss::cause)
                .isEqualTo("build argument BUILD_NUMBER changed");
        assertThat(report.hints()).isEmpty();
    }

    @Test
    void aMovedBaseImageIsNamedWithItsNewDigest() {
        InputsRecord before = record(DOCKERFILE, files, args, BASE);

        WhyNotCached.Report report = explain(
                before,
                DOCKERFILE,
                record(DOCKERFILE, files, args, BASE.replace("a".repeat(64), "c".repeat(64))),
                runs(false, "deps 2", "deps 3", "deps 4", "build 1", "build 2", "stage-2 2"));

        assertThat(report.misses()).singleElement().satisfies(miss -> {
            assertThat(miss.step()).isEqualTo("[deps 2/4] WORKDIR /app");
            assertThat(miss.cause())
                    .isEqualTo("base image docker.io/library/eclipse-temurin:21 moved to sha256:cccccccccccc (it was"
                            + " sha256:aaaaaaaaaaaa)");
            assertThat(miss.after()).hasSize(5);
        });
    }

    @Test
    void anEditedDockerfileLineIsNamedByItsNumber() {
        InputsRecord before = record(DOCKERFILE, files, args, BASE);
        String edited = DOCKERFILE.replace("RUN mvn -B dependency:go-offline", "RUN mvn -B -q dependency:go-offline");

        WhyNotCached.Report report =
                explain(before, edited, record(edited, files, args, BASE), runs(false, "deps 4", "build 1", "build 2"));

        assertThat(report.misses())
                .singleElement()
                .extracting(WhyNotCached.Miss::cause)
                .isEqualTo("Dockerfile line 4 changed (it was: RUN mvn -B dependency:go-offline)");
    }

    @Test
    void filesPulledInFromTargetWithoutADockerignoreAreNamedWithTheMistake() {
        String copyAll = "FROM eclipse-temurin:21\nCOPY . /app\nRUN ls /app\n";
        InputsRecord before = record(copyAll, files, args, BASE);
        files.put("target/classes/App.class", file("c1", "0644"));
        files.put(".git/index", file("i1", "0644"));
        InputsRecord now = new InputsRecord(
                InputsRecord.FORMAT,
                List.of("default"),
                "salt",
                InputsRecord.stepsOf(DockerfileSteps.parse(copyAll)),
                files,
                Map.of(),
                Map.of(),
                Map.of("", BASE),
                false);

        WhyNotCached.Report report = explain(before, copyAll, now, runsOf(copyAll, "2", "3"));

        assertThat(report.misses())
                .singleElement()
                .extracting(WhyNotCached.Miss::cause)
                .isEqualTo("2 files added (.git/index, target/classes/App.class)");
        assertThat(report.hints()).hasSize(2);
        assertThat(report.hints().get(0)).startsWith("COPY . takes in target/ or .git");
        assertThat(report.hints().get(1)).startsWith("The context has no .dockerignore");
    }

    @Test
    void withoutARecordTheCauseSaysSo() {
        WhyNotCached.Report report = new WhyNotCached(
                        DockerfileSteps.parse(DOCKERFILE), record(DOCKERFILE, files, args, BASE), "")
                .explain(runs(false, "deps 2", "deps 3"), Optional.empty(), NO_RECORD, args);

        assertThat(report.misses())
                .singleElement()
                .extracting(WhyNotCached.Miss::cause)
                .isEqualTo(NO_RECORD);
    }

    @Test
    void unchangedInputsThatStillMissedSayTheCacheLacksTheStep() {
        InputsRecord before = record(DOCKERFILE, files, args, BASE);

        WhyNotCached.Report report = explain(before, DOCKERFILE, runs(false, "stage-2 3"));

        assertThat(report.misses())
                .singleElement()
                .extracting(WhyNotCached.Miss::cause)
                .asString()
                .startsWith("its inputs are the ones recorded with the cache, but the cache does not hold this step");
    }

    private WhyNotCached.Report explain(InputsRecord before, String dockerfile, List<StepRun> runs) {
        return explain(before, dockerfile, record(dockerfile, files, args, BASE), runs);
    }

    private WhyNotCached.Report explain(InputsRecord before, String dockerfile, InputsRecord now, List<StepRun> runs) {
        return new WhyNotCached(DockerfileSteps.parse(dockerfile), now, "")
                .explain(runs, Optional.of(before), NO_RECORD, args);
    }

    /** Every step of {@link #DOCKERFILE}, cached but the ones named ("build 2"). */
    private static List<StepRun> runs(boolean unused, String... ran) {
        return runsOf(DOCKERFILE, ran);
    }

    private static List<StepRun> runsOf(String dockerfile, String... ran) {
        List<String> missed = List.of(ran);
        List<StepRun> runs = new ArrayList<>();
        for (DockerfileSteps.Stage stage : DockerfileSteps.parse(dockerfile).stages()) {
            for (DockerfileSteps.Step step : stage.steps()) {
                String key =
                        stage.label().isEmpty() ? String.valueOf(step.index()) : stage.label() + " " + step.index();
                String prefix = stage.label().isEmpty() ? "" : stage.label() + " ";
                String name = "[" + prefix + step.index() + "/" + stage.steps().size() + "] " + step.text();
                boolean from = step.instruction().equals("FROM");
                runs.add(new StepRun(
                        stage.label(), step.index(), name, step.text(), from, !from && !missed.contains(key), false));
            }
        }
        return runs;
    }

    private static InputsRecord record(
            String dockerfile, Map<String, FileState> files, Map<String, String> args, String base) {
        Map<String, String> hashed = new LinkedHashMap<>();
        args.forEach((k, v) -> hashed.put(k, InputsRecord.argumentHash("", "salt", k, v)));
        return new InputsRecord(
                InputsRecord.FORMAT,
                List.of("default"),
                "salt",
                InputsRecord.stepsOf(DockerfileSteps.parse(dockerfile)),
                files,
                Map.of(),
                hashed,
                Map.of("deps", base, "stage-2", JRE),
                true);
    }

    private static FileState file(String hash, String mode) {
        return new FileState(hash, mode, 10);
    }
}
