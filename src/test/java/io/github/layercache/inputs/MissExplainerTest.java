package io.github.layercache.inputs;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.layercache.cache.CacheBackend;
import io.github.layercache.cache.CacheSpec;
import io.github.layercache.registry.ImageReference;
import io.github.layercache.spec.BuildSpec;
import io.github.layercache.testing.RecordingBuildLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MissExplainerTest {

    private static final String CACHE = "registry.example/app:buildcache";
    private static final String ALPINE = "docker.io/library/alpine:3.19@sha256:" + "a".repeat(64);
    private static final StepRun FROM =
            new StepRun("", 1, "[1/3] FROM " + ALPINE, "FROM " + ALPINE, true, false, false);
    private static final InputsRecord.Settings SETTINGS = new InputsRecord.Settings("", Path.of("/nowhere"));
    private static final MissExplainer.CacheEvents NOTHING_HAPPENED = new MissExplainer.CacheEvents(Set.of(), Set.of());

    @TempDir
    Path context;

    private final RecordingBuildLog log = new RecordingBuildLog();
    private final MemoryStore store = new MemoryStore();

    @BeforeEach
    void project() throws Exception {
        Files.writeString(context.resolve("Dockerfile"), "FROM alpine:3.19\nCOPY app.txt /\nRUN cat /app.txt\n");
        Files.writeString(context.resolve("app.txt"), "one\n");
    }

    @Test
    void aBuildWhoseEveryStepWasCachedNeitherReadsNorWrites() throws Exception {
        Optional<MissExplainer.Explanation> why =
                explainer().afterBuild(spec(false), runs(true, true), NOTHING_HAPPENED, SETTINGS);

        assertThat(why).isEmpty();
        assertThat(store.reads).isZero();
        assertThat(store.staged).isEmpty();
        assertThat(store.written).isEmpty();
        assertThat(log.lines()).isEmpty();
    }

    @Test
    void aFirstBuildSaysSoWithoutReadingAndRecordsItsInputsBesideTheExport() throws Exception {
        Optional<MissExplainer.Explanation> why = explainer()
                .afterBuild(
                        spec(false),
                        runs(false, false),
                        new MissExplainer.CacheEvents(Set.of(CACHE), Set.of()),
                        SETTINGS);

        assertThat(store.reads).isZero();
        assertThat(why.orElseThrow().comparedWith()).isEmpty();
        assertThat(log.infos())
                .containsExactly(
                        "Why steps ran:",
                        "  [2/3] COPY app.txt /: not cached: " + MissExplainer.FIRST_BUILD
                                + "; so 1 step after it ran too ([3/3] RUN cat /app.txt)");
        assertThat(store.written).singleElement().satisfies(record -> {
            assertThat(record.files()).containsKey("app.txt");
            assertThat(record.baseImages()).containsEntry("", ALPINE);
        });
    }

    @Test
    void theNextBuildNamesTheFileThatChangedComparedWithTheRecordBesideTheCache() throws Exception {
        explainer().afterBuild(spec(false), runs(false, false), NOTHING_HAPPENED, SETTINGS);
        store.found = Optional.of(new InputsStore.Found(CACHE, store.written.get(0)));
        Files.writeString(context.resolve("app.txt"), "two\n");
        log.lines();

        RecordingBuildLog second = new RecordingBuildLog();
        Optional<MissExplainer.Explanation> why = new MissExplainer(store, second)
                .afterBuild(spec(false), runs(false, false), NOTHING_HAPPENED, SETTINGS);

        assertThat(why.orElseThrow().comparedWith()).contains(CACHE);
        assertThat(second.infos())
                .containsExactly(
                        "Why steps ran, compared with the inputs recorded beside " + CACHE + ":",
                        "  [2/3] COPY app.txt /: not cached: app.txt changed; so 1 step after it ran too ([3/3] RUN cat"
                                + " /app.txt)");
        assertThat(store.written).hasSize(2);
    }

    @Test
    void startedWhenAStepRanTheReadAndTheHashingHappenBesideTheBuildAndGiveTheSameAnswer() throws Exception {
        explainer().afterBuild(spec(false), runs(false, false), NOTHING_HAPPENED, SETTINGS);
        store.found = Optional.of(new InputsStore.Found(CACHE, store.written.get(0)));
        Files.writeString(context.resolve("app.txt"), "two\n");

        store.reads = 0;
        RecordingBuildLog second = new RecordingBuildLog();
        MissExplainer early = new MissExplainer(store, second);
        early.start(spec(false), SETTINGS);
        Optional<MissExplainer.Explanation> why =
                early.afterBuild(spec(false), runs(false, false), NOTHING_HAPPENED, SETTINGS);

        assertThat(store.reads).isEqualTo(1);
        assertThat(why.orElseThrow().report().firstCause()).contains("app.txt changed");
        assertThat(store.written.get(1).baseImages()).containsEntry("", ALPINE);
    }

    @Test
    void startedWhenAStepRanTheRecordGoesAheadWithoutTheBaseImagesWhichOnlyTheWriteAdds() throws Exception {
        MissExplainer early = explainer();
        early.start(spec(false), SETTINGS);
        early.afterBuild(spec(false), runs(false, false), NOTHING_HAPPENED, SETTINGS);

        assertThat(store.staged).singleElement().satisfies(record -> {
            assertThat(record.files()).containsKey("app.txt");
            assertThat(record.baseImages()).isEmpty();
        });
        assertThat(store.written).singleElement().satisfies(record -> {
            assertThat(record.withBaseImages(java.util.Map.of())).isEqualTo(store.staged.get(0));
            assertThat(record.baseImages()).containsEntry("", ALPINE);
        });
    }

    @Test
    void stepsBuildKitDownloadedFromTheCacheAreNoMissesAndTheRecordBesideItStandsUnwritten() throws Exception {
        explainer().afterBuild(spec(false), runs(false, false), NOTHING_HAPPENED, SETTINGS);
        store.found = Optional.of(new InputsStore.Found(CACHE, store.written.get(0)));
        store.reads = 0;

        RecordingBuildLog second = new RecordingBuildLog();
        Optional<MissExplainer.Explanation> why =
                new MissExplainer(store, second).afterBuild(spec(false), downloaded(), NOTHING_HAPPENED, SETTINGS);

        assertThat(why).isEmpty();
        assertThat(store.reads)
                .as("only the record can tell a download from a step that ran")
                .isEqualTo(1);
        assertThat(store.written)
                .as("the record beside the cache describes this build already")
                .hasSize(1);
        assertThat(second.infos()).isEmpty();
    }

    @Test
    void aDownloadedStepWhoseInputChangedIsAMissAndTheNewRecordIsWritten() throws Exception {
        explainer().afterBuild(spec(false), runs(false, false), NOTHING_HAPPENED, SETTINGS);
        store.found = Optional.of(new InputsStore.Found(CACHE, store.written.get(0)));
        Files.writeString(context.resolve("app.txt"), "two\n");

        Optional<MissExplainer.Explanation> why =
                explainer().afterBuild(spec(false), downloaded(), NOTHING_HAPPENED, SETTINGS);

        assertThat(why.orElseThrow().report().firstCause()).contains("app.txt changed");
        assertThat(store.written).hasSize(2);
    }

    @Test
    void notStartedNothingIsSentAhead() throws Exception {
        explainer().afterBuild(spec(false), runs(false, false), NOTHING_HAPPENED, SETTINGS);

        assertThat(store.staged).isEmpty();
        assertThat(store.written).hasSize(1);
    }

    @Test
    void aRecordReadBesideACacheThatIsGoneIsNotComparedWith() throws Exception {
        explainer().afterBuild(spec(false), runs(false, false), NOTHING_HAPPENED, SETTINGS);
        store.found = Optional.of(new InputsStore.Found(CACHE, store.written.get(0)));
        MissExplainer early = new MissExplainer(store, log);
        early.start(spec(false), SETTINGS);

        Optional<MissExplainer.Explanation> why = early.afterBuild(
                spec(false), runs(false, false), new MissExplainer.CacheEvents(Set.of(CACHE), Set.of()), SETTINGS);

        assertThat(why.orElseThrow().comparedWith()).isEmpty();
        assertThat(why.get().report().firstCause()).contains(MissExplainer.FIRST_BUILD);
    }

    @Test
    void anExportBuildKitCouldNotMakeGetsNoRecord() throws Exception {
        explainer()
                .afterBuild(
                        spec(false),
                        runs(false, false),
                        new MissExplainer.CacheEvents(
                                Set.of(), Set.of(CacheBackend.registry(CACHE).describe())),
                        SETTINGS);

        assertThat(store.written).isEmpty();
    }

    @Test
    void aBuildWithoutAnyCacheExplainsNothing() throws Exception {
        assertThat(explainer().afterBuild(spec(true), runs(false, false), NOTHING_HAPPENED, SETTINGS))
                .isEmpty();
        assertThat(store.reads).isZero();
        assertThat(store.written).isEmpty();
    }

    @Test
    void theBaseImagesAreTheResolvedReferencesOfEachStagesFrom() {
        StepRun deps = new StepRun("deps", 1, "[deps 1/2] FROM a@sha256:1", "FROM a@sha256:1", true, true, false);
        StepRun run = new StepRun("deps", 2, "[deps 2/2] RUN x", "RUN x", false, false, false);
        StepRun last =
                new StepRun("stage-1", 1, "[stage-1 1/2] FROM b@sha256:2", "FROM b@sha256:2", true, false, false);

        assertThat(MissExplainer.baseImages(List.of(deps, run, last)))
                .containsExactly(
                        java.util.Map.entry("deps", "a@sha256:1"), java.util.Map.entry("stage-1", "b@sha256:2"));
    }

    private MissExplainer explainer() {
        return new MissExplainer(store, log);
    }

    private BuildSpec spec(boolean noCache) throws Exception {
        CacheBackend cache = CacheBackend.registry(CACHE);
        return BuildSpec.builder()
                .timeout(Duration.ofHours(1))
                .provenance("false")
                .contextDirectory(context)
                .image(ImageReference.parse("registry.example/app", "image"))
                .tags(List.of("1"))
                .noCache(noCache)
                .cache(noCache ? CacheSpec.none() : new CacheSpec(List.of(cache), List.of(cache), false))
                .metadataFile(context.resolve("m.json"))
                .build();
    }

    private static List<StepRun> runs(boolean copyCached, boolean runCached) {
        return List.of(
                FROM,
                new StepRun("", 2, "[2/3] COPY app.txt /", "COPY app.txt /", false, copyCached, false),
                new StepRun("", 3, "[3/3] RUN cat /app.txt", "RUN cat /app.txt", false, runCached, false));
    }

    /** The COPY downloaded (not marked CACHED, layers pulled), the RUN after it cached. */
    private static List<StepRun> downloaded() {
        return List.of(
                FROM,
                new StepRun("", 2, "[2/3] COPY app.txt /", "COPY app.txt /", false, false, true),
                new StepRun("", 3, "[3/3] RUN cat /app.txt", "RUN cat /app.txt", false, true, false));
    }

    /** Records in memory, as the registry would keep them. */
    private static final class MemoryStore implements InputsStore {
        private final List<InputsRecord> staged = new ArrayList<>();
        private final List<InputsRecord> written = new ArrayList<>();
        private Optional<Found> found = Optional.empty();
        private int reads;

        @Override
        public Optional<Found> read(List<CacheBackend> imports) {
            reads++;
            return found;
        }

        @Override
        public void stage(List<CacheBackend> exports, InputsRecord record) {
            exports.forEach(e -> staged.add(record));
        }

        @Override
        public void write(List<CacheBackend> exports, InputsRecord record) {
            exports.forEach(e -> written.add(record));
        }
    }
}
