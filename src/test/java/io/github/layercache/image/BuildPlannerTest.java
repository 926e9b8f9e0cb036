package io.github.layercache.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.layercache.cache.CacheBackend;
import io.github.layercache.core.InvalidSpecException;
import io.github.layercache.core.ParameterHints;
import io.github.layercache.spec.BuildSecret;
import io.github.layercache.spec.BuildSpec;
import io.github.layercache.testing.RecordingBuildLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rules of the build goal, without Maven: names, branches, CI, labels, secrets, warnings. */
class BuildPlannerTest {

    private static final ParameterHints HINTS = parameter -> Optional.of("layercache." + parameter);
    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    @TempDir
    Path module;

    private final RecordingBuildLog log = new RecordingBuildLog();

    @BeforeEach
    void dockerfile() throws Exception {
        Files.writeString(module.resolve("Dockerfile"), "FROM scratch\n");
    }

    @Test
    void theImageIsTheRegistryPlusTheArtifactIdMadeAValidName() throws Exception {
        BuildSpec spec =
                plan(request().set("registry", "registry.example.com:5000/").build(), Map.of());

        assertThat(spec.image().name()).isEqualTo("registry.example.com:5000/orders_service");
        assertThat(spec.tags()).containsExactly("1.0.0");
    }

    @Test
    void aFeatureBranchFromCiGetsItsOwnCacheAndReadsMains() throws Exception {
        BuildSpec spec = plan(
                request().set("registry", "r.example.com").build(),
                Map.of("GITHUB_REF_NAME", "feature/login", "GITHUB_SHA", COMMIT));

        assertThat(spec.cache().imports().stream().map(CacheBackend::describe))
                .containsExactly(
                        "r.example.com/orders_service:buildcache-feature-login",
                        "r.example.com/orders_service:buildcache");
        assertThat(spec.cache().exports().stream().map(CacheBackend::describe))
                .containsExactly("r.example.com/orders_service:buildcache-feature-login");
        assertThat(log.infos()).anyMatch(line -> line.startsWith("Branch feature/login: cache "));
    }

    @Test
    void theBranchParameterBeatsCi() throws Exception {
        BuildSpec spec = plan(
                request().set("registry", "r.example.com").set("branch", "main").build(),
                Map.of("GITHUB_REF_NAME", "feature/login"));

        assertThat(spec.cache().exports().stream().map(CacheBackend::describe))
                .containsExactly("r.example.com/orders_service:buildcache");
    }

    @Test
    void outsideCiTheExportIsOffAndTheLogSaysHowToTurnItOn() throws Exception {
        BuildSpec spec = plan(request().set("cacheExportOnlyInCi", true).build(), Map.of());

        assertThat(spec.cache().exports()).isEmpty();
        assertThat(log.infos())
                .anyMatch(line -> line.startsWith("Not a CI build: no CI detected")
                        && line.endsWith("-Dlayercache.ci=true exports it."));
    }

    @Test
    void codeBuildsOwnVariableTurnsTheExportOn() throws Exception {
        BuildSpec spec =
                plan(request().set("cacheExportOnlyInCi", true).build(), Map.of("CODEBUILD_BUILD_ID", "orders:1"));

        assertThat(spec.cache().exports()).hasSize(1);
        assertThat(log.infos())
                .contains(
                        "CI: AWS CodeBuild (CODEBUILD_BUILD_ID is set), so the cache is exported (cacheExportOnlyInCi).");
    }

    @Test
    void theCiParameterOverridesTheDetection() throws Exception {
        BuildSpec spec = plan(
                request().set("cacheExportOnlyInCi", true).set("ci", false).build(),
                Map.of("CODEBUILD_BUILD_ID", "orders:1"));

        assertThat(spec.cache().exports()).isEmpty();
    }

    @Test
    void ociLabelsComeFirstAndTheUsersLabelsWin() throws Exception {
        BuildSpec spec = plan(
                request()
                        .set("labels", Map.of("org.opencontainers.image.title", "Orders", "team", "payments"))
                        .build(),
                Map.of());

        assertThat(spec.labels())
                .containsEntry("org.opencontainers.image.title", "Orders")
                .containsEntry("org.opencontainers.image.version", "1.0.0")
                .containsEntry("team", "payments");
    }

    @Test
    void everyBuildHasOneSourceDateAndTheReleaseTimeBecomesALabel() throws Exception {
        BuildSpec release =
                plan(request().set("outputTimestamp", "2026-02-01T00:00:00Z").build(), Map.of());
        BuildSpec seconds = plan(request().set("outputTimestamp", "1795392000").build(), Map.of());
        BuildSpec none =
                plan(request().set("outputTimestamp", null).build(), Map.of("SOURCE_DATE_EPOCH", "1700000000"));
        BuildSpec off = plan(request().set("outputTimestamp", "a").build(), Map.of());

        assertThat(List.of(release, seconds, none, off))
                .allSatisfy(spec -> assertThat(spec.sourceDateEpoch()).isZero());
        assertThat(release.labels()).containsEntry("org.opencontainers.image.created", "2026-02-01T00:00:00Z");
        assertThat(seconds.labels()).containsEntry("org.opencontainers.image.created", "2026-11-23T00:00:00Z");
        assertThat(none.labels()).doesNotContainKey("org.opencontainers.image.created");
        assertThat(off.labels()).doesNotContainKey("org.opencontainers.image.created");
    }

    @Test
    void anUnreadableOutputTimestampNamesTheParameter() {
        InvalidSpecException e =
                catchThrowableOfType(InvalidSpecException.class, () -> new BuildPlanner(Map.of(), HINTS, log)
                        .plan(request().set("outputTimestamp", "next tuesday").build()));

        assertThat(e).hasMessageContaining("Invalid project.build.outputTimestamp 'next tuesday'");
        assertThat(e.parameter()).contains("outputTimestamp");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"fingerprint-abc", "buildcache", "buildcache-main"})
    void aTagThePluginWritesItselfIsRefused(String tag) {
        InvalidSpecException e =
                catchThrowableOfType(InvalidSpecException.class, () -> new BuildPlanner(Map.of(), HINTS, log)
                        .plan(request().set("tags", List.of("1.0", tag)).build()));

        assertThat(e)
                .hasMessageContaining("The tag '" + tag + "' is one the plugin writes itself")
                .hasMessageContaining("its lifecycle policy expires such tags");
        assertThat(e.parameter()).contains("tags");
    }

    @Test
    void secretsAreCheckedWithTheBuildsEnvironment() throws Exception {
        BuildSpec spec = plan(
                request()
                        .set("secrets", List.of(new BuildRequest.SecretParameter("npm", null, "NPM_TOKEN")))
                        .build(),
                Map.of("NPM_TOKEN", "x"));

        assertThat(spec.secrets()).containsExactly(new BuildSecret("npm", BuildSecret.Source.ENV, "NPM_TOKEN"));

        InvalidSpecException e = catchThrowableOfType(
                InvalidSpecException.class,
                () -> plan(
                        request()
                                .set("secrets", List.of(new BuildRequest.SecretParameter("npm", null, "NPM_TOKEN")))
                                .build(),
                        Map.of()));
        assertThat(e).hasMessageContaining("NPM_TOKEN, which is not set");
    }

    @Test
    void aSecretLookingBuildArgumentIsWarnedAboutOnce() throws Exception {
        plan(request().set("buildArgs", Map.of("NPM_TOKEN", "abc", "BASE", "x")).build(), Map.of());

        assertThat(log.warnings())
                .singleElement()
                .asString()
                .startsWith("Build argument NPM_TOKEN looks like a secret.");
    }

    @Test
    void invalidPlatformNamesPlatforms() {
        InvalidSpecException e = rejected(request().set("platforms", List.of("linux/amd64", "linux")));

        assertThat(e.parameter()).contains("platforms");
        assertThat(e).hasMessageContaining("'linux'");
    }

    @Test
    void acceptsPlatformsWithVariants() throws Exception {
        BuildSpec spec = plan(
                request()
                        .set("platforms", List.of("linux/amd64", "linux/arm64/v8", "linux/arm/v7"))
                        .build(),
                Map.of());

        assertThat(spec.platforms()).containsExactly("linux/amd64", "linux/arm64/v8", "linux/arm/v7");
    }

    @Test
    void invalidBuildArgNameNamesBuildArgs() {
        InvalidSpecException e = rejected(request().set("buildArgs", Map.of("BAD-NAME", "x")));

        assertThat(e.parameter()).contains("buildArgs");
        assertThat(e).hasMessageContaining("BAD-NAME");
    }

    @Test
    void zeroTimeoutNamesTimeoutSeconds() {
        assertThat(rejected(request().set("timeoutSeconds", 0)).parameter()).contains("timeoutSeconds");
    }

    @Test
    void negativeTimeoutNamesTimeoutSeconds() {
        assertThat(rejected(request().set("timeoutSeconds", -1)).parameter()).contains("timeoutSeconds");
    }

    @Test
    void theTimeoutIsTheBuildsInSeconds() throws Exception {
        assertThat(plan(request().set("timeoutSeconds", 90).build(), Map.of()).timeout())
                .isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void invalidProvenanceNamesProvenance() {
        InvalidSpecException e = rejected(request().set("provenance", "mode=full"));

        assertThat(e.parameter()).contains("provenance");
        assertThat(e).hasMessage("Invalid provenance 'mode=full': use false, true, mode=min or mode=max.");
    }

    @Test
    void provenanceIsStrippedAndBlankIsFalse() throws Exception {
        assertThat(plan(request().set("provenance", " mode=max ").build(), Map.of())
                        .provenance())
                .isEqualTo("mode=max");
        assertThat(plan(request().set("provenance", " ").build(), Map.of()).provenance())
                .isEqualTo("false");
        assertThat(plan(request().set("provenance", null).build(), Map.of()).provenance())
                .isEqualTo("false");
    }

    @Test
    void aModuleWithoutADockerfileIsNotCheckedFurther() throws Exception {
        Files.delete(module.resolve("Dockerfile"));

        assertThat(new BuildPlanner(Map.of(), HINTS, log)
                        .plan(request().set("platforms", List.of("linux")).build()))
                .isEmpty();
    }

    @Test
    void aModuleAtTheDefaultsWithoutADockerfileHasNoImage() throws Exception {
        Files.delete(module.resolve("Dockerfile"));

        Optional<BuildPlan> plan =
                new BuildPlanner(Map.of(), HINTS, log).plan(request().build());

        assertThat(plan).isEmpty();
        assertThat(log.infos())
                .containsExactly("No Dockerfile in " + module + ": no image for this module (set <dockerfile> to build"
                        + " one, or layercache.failWithoutDockerfile=true to make this an error).");
    }

    @Test
    void aNamedContextWithoutADockerfileIsAnError() throws Exception {
        Path docker = Files.createDirectories(module.resolve("docker"));

        InvalidSpecException e =
                catchThrowableOfType(InvalidSpecException.class, () -> new BuildPlanner(Map.of(), HINTS, log)
                        .plan(request().set("contextDirectory", docker).build()));

        assertThat(e).hasMessageContaining("Dockerfile not found: " + docker.resolve("Dockerfile"));
        assertThat(e.parameter()).contains("dockerfile");
    }

    @Test
    void theFingerprintSettingsCarryThePluginVersionAndVolatileArguments() throws Exception {
        BuildPlan plan = new BuildPlanner(Map.of(), HINTS, log)
                .plan(request()
                        .set("volatileBuildArgs", List.of("BUILD_NUMBER"))
                        .build())
                .orElseThrow();

        assertThat(plan.fingerprint()).hasValueSatisfying(settings -> {
            assertThat(settings.pluginVersion()).isEqualTo("9.9.9");
            assertThat(settings.volatileBuildArgs()).containsExactly("BUILD_NUMBER");
            assertThat(settings.pluginOutput()).isEqualTo(module.resolve("target/layercache"));
        });
        assertThat(plan.spec().metadataFile())
                .isEqualTo(module.resolve("target/layercache/image-buildx-metadata.json"));
        assertThat(new BuildPlanner(Map.of(), HINTS, log)
                        .plan(request().set("fingerprint", false).build())
                        .orElseThrow()
                        .fingerprint())
                .isEmpty();
    }

    @Test
    void aGhaCacheTheStepCannotReachIsLeftOutWithAWarningBeforeTheBuild() throws Exception {
        BuildRequest gha = request()
                .set("cacheFrom", List.of("type=gha,scope=orders"))
                .set("cacheTo", List.of("type=gha,scope=orders,mode=max"))
                .build();

        BuildSpec spec = plan(gha, Map.of("GITHUB_ACTIONS", "true", "ACTIONS_CACHE_URL", "https://cache/"));

        assertThat(log.warnings())
                .singleElement()
                .asString()
                .startsWith("The type=gha cache cannot be used here: this step has no ACTIONS_RUNTIME_TOKEN, so buildx"
                        + " would leave the GitHub Actions cache out without a word");
        assertThat(spec.cache().imports()).extracting(CacheBackend::type).doesNotContain("gha");
        assertThat(spec.cache().exports()).isEmpty();
        assertThat(spec.cache().exportOffReason())
                .hasValueSatisfying(r -> assertThat(r).contains("type=gha"));
    }

    @Test
    void aGhaCacheWithTheRuntimeStays() throws Exception {
        BuildRequest gha =
                request().set("cacheTo", List.of("type=gha,mode=max")).build();

        BuildSpec spec = plan(
                gha,
                Map.of("GITHUB_ACTIONS", "true", "ACTIONS_RUNTIME_TOKEN", "t", "ACTIONS_RESULTS_URL", "https://r/"));

        assertThat(log.warnings()).isEmpty();
        assertThat(spec.cache().exports()).extracting(CacheBackend::type).containsExactly("gha");
    }

    @Test
    void anUnreachableGhaCacheStopsAStrictBuild() throws Exception {
        BuildRequest gha = request()
                .set("cacheTo", List.of("type=gha"))
                .set("cacheStrict", true)
                .build();

        InvalidSpecException e =
                catchThrowableOfType(InvalidSpecException.class, () -> plan(gha, Map.of("GITHUB_ACTIONS", "true")));

        assertThat(e).hasMessageContaining("no ACTIONS_RUNTIME_TOKEN and ACTIONS_CACHE_URL or ACTIONS_RESULTS_URL");
        assertThat(e).hasMessageContaining("The cache is strict, so the build stops here.");
        assertThat(e.parameter()).contains("cacheStrict");
    }

    private BuildSpec plan(BuildRequest request, Map<String, String> environment) throws Exception {
        return new BuildPlanner(environment, HINTS, log)
                .plan(request)
                .orElseThrow()
                .spec();
    }

    private TestRequest request() {
        return TestRequest.of(module);
    }

    private InvalidSpecException rejected(TestRequest request) {
        InvalidSpecException e = catchThrowableOfType(
                InvalidSpecException.class, () -> new BuildPlanner(Map.of(), HINTS, log).plan(request.build()));
        assertThat(e).isNotNull();
        return e;
    }
}
