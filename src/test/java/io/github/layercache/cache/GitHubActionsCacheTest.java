package io.github.layercache.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.layercache.buildx.BuildOutcome;
import io.github.layercache.registry.ImageReference;
import io.github.layercache.spec.BuildSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitHubActionsCacheTest {

    @TempDir
    Path dir;

    private static final CacheBackend GHA = new CacheBackend("gha", Map.of("scope", "orders"));
    private static final CacheBackend REGISTRY = CacheBackend.registry("ghcr.io/team/orders:buildcache");

    @Test
    void buildxNeedsBothTheTokenAndACacheAddress() {
        CacheSpec cache = new CacheSpec(List.of(GHA), List.of(GHA), false);

        assertThat(GitHubActionsCache.missingRuntime(cache, Map.of()))
                .hasValue("ACTIONS_RUNTIME_TOKEN and ACTIONS_CACHE_URL or ACTIONS_RESULTS_URL");
        assertThat(GitHubActionsCache.missingRuntime(cache, Map.of("ACTIONS_CACHE_URL", "https://c/")))
                .hasValue("ACTIONS_RUNTIME_TOKEN");
        assertThat(GitHubActionsCache.missingRuntime(cache, Map.of("ACTIONS_RUNTIME_TOKEN", "t")))
                .hasValue("ACTIONS_CACHE_URL or ACTIONS_RESULTS_URL");
        assertThat(GitHubActionsCache.missingRuntime(
                        cache, Map.of("ACTIONS_RUNTIME_TOKEN", " ", "ACTIONS_CACHE_URL", "u")))
                .hasValue("ACTIONS_RUNTIME_TOKEN");
        assertThat(GitHubActionsCache.missingRuntime(
                        cache, Map.of("ACTIONS_RUNTIME_TOKEN", "t", "ACTIONS_RESULTS_URL", "https://r/")))
                .isEmpty();
    }

    @Test
    void theEntryMayCarryItsOwnTokenAndAddress() {
        CacheBackend own = new CacheBackend("gha", Map.of("token", "t", "url_v2", "https://r/"));

        assertThat(GitHubActionsCache.missingRuntime(new CacheSpec(List.of(), List.of(own), false), Map.of()))
                .isEmpty();
    }

    @Test
    void otherCachesNeedNoRuntime() {
        assertThat(GitHubActionsCache.missingRuntime(
                        new CacheSpec(List.of(REGISTRY), List.of(REGISTRY), false), Map.of()))
                .isEmpty();
    }

    @Test
    void withoutGhaTheResultLineSaysNothingWasExportedAndWhy() throws Exception {
        CacheSpec cache = GitHubActionsCache.withoutGha(
                new CacheSpec(List.of(GHA, REGISTRY), List.of(GHA), false), "type=gha, which this step cannot reach");
        Path context = Files.createDirectories(dir.resolve("ctx"));
        Files.writeString(context.resolve("Dockerfile"), "FROM scratch\n");
        BuildSpec spec = BuildSpec.builder()
                .timeout(Duration.ofHours(1))
                .provenance("false")
                .contextDirectory(context)
                .image(ImageReference.parse("127.0.0.1:5000/app", "image"))
                .tags(List.of("1"))
                .cache(cache)
                .metadataFile(dir.resolve("metadata.json"))
                .build();

        String summary = new BuildOutcome(spec, Optional.empty(), 0, 1, List.of(), Duration.ZERO).summary();

        assertThat(cache.imports()).containsExactly(REGISTRY);
        assertThat(summary)
                .endsWith(
                        "; cache ghcr.io/team/orders:buildcache -> (no export: type=gha, which this step cannot reach)");
    }
}
