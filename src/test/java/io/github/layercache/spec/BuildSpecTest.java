package io.github.layercache.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.layercache.cache.CacheBackend;
import io.github.layercache.cache.CacheSpec;
import io.github.layercache.core.InvalidSpecException;
import io.github.layercache.registry.ImageReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildSpecTest {

    @TempDir
    Path dir;

    private Path context;

    @BeforeEach
    void createContext() throws IOException {
        context = Files.createDirectories(dir.resolve("ctx"));
        Files.writeString(context.resolve("Dockerfile"), "FROM scratch\n");
    }

    @Test
    void buildsAValidSpecWithDefaults() throws Exception {
        BuildSpec spec = valid().build();

        assertThat(spec.contextDirectory()).isEqualTo(context.toAbsolutePath().normalize());
        assertThat(spec.dockerfile())
                .isEqualTo(context.resolve("Dockerfile").toAbsolutePath().normalize());
        assertThat(spec.tags()).containsExactly("1.0");
        assertThat(spec.taggedNames()).containsExactly("127.0.0.1:5000/app:1.0");
        assertThat(spec.timeout()).isEqualTo(Duration.ofHours(1));
        assertThat(spec.output()).isEqualTo(BuildSpec.Output.LOAD);
        assertThat(spec.cache().isEmpty()).isTrue();
        assertThat(spec.target()).isNull();
        assertThat(spec.network()).isNull();
        assertThat(spec.builderName()).isNull();
    }

    @Test
    void missingContextDirectoryNamesContextDirectory() {
        InvalidSpecException e = rejected(valid().contextDirectory(dir.resolve("absent")));

        assertThat(e.parameter()).contains("contextDirectory");
        assertThat(e).hasMessageContaining(dir.resolve("absent").toString());
    }

    @Test
    void nullContextDirectoryNamesContextDirectory() {
        assertThat(rejected(valid().contextDirectory(null)).parameter()).contains("contextDirectory");
    }

    @Test
    void contextThatIsAFileIsRejected() {
        assertThat(rejected(valid().contextDirectory(context.resolve("Dockerfile")))
                        .parameter())
                .contains("contextDirectory");
    }

    @Test
    void missingDockerfileNamesDockerfileWithItsAbsolutePath() {
        InvalidSpecException e = rejected(valid().dockerfile(Path.of("docker/Missing.dockerfile")));

        assertThat(e.parameter()).contains("dockerfile");
        assertThat(e)
                .hasMessageContaining(context.resolve("docker/Missing.dockerfile")
                        .toAbsolutePath()
                        .normalize()
                        .toString());
    }

    @Test
    void missingDefaultDockerfileNamesDockerfile() throws IOException {
        Files.delete(context.resolve("Dockerfile"));

        InvalidSpecException e = rejected(valid());

        assertThat(e.parameter()).contains("dockerfile");
        assertThat(e)
                .hasMessageContaining(
                        context.resolve("Dockerfile").toAbsolutePath().toString());
    }

    @Test
    void relativeDockerfileResolvesAgainstTheContext() throws Exception {
        Files.createDirectories(context.resolve("docker"));
        Files.writeString(context.resolve("docker/App.dockerfile"), "FROM scratch\n");

        BuildSpec spec = valid().dockerfile(Path.of("docker/App.dockerfile")).build();

        assertThat(spec.dockerfile())
                .isAbsolute()
                .isEqualTo(context.resolve("docker/App.dockerfile")
                        .toAbsolutePath()
                        .normalize());
    }

    @Test
    void absoluteDockerfileOutsideTheContextIsKept() throws Exception {
        Path outside = Files.writeString(dir.resolve("Outside.dockerfile"), "FROM scratch\n");

        BuildSpec spec = valid().dockerfile(outside.toAbsolutePath()).build();

        assertThat(spec.dockerfile()).isEqualTo(outside.toAbsolutePath().normalize());
    }

    @Test
    void duplicateTagsCollapseKeepingFirstOrder() throws Exception {
        BuildSpec spec =
                builder().tags(List.of("1.0", "latest", " 1.0 ", "latest", "2")).build();

        assertThat(spec.tags()).containsExactly("1.0", "latest", "2");
    }

    @Test
    void invalidTagNamesTags() {
        InvalidSpecException e = rejected(builder().tags(List.of("1.0", "-bad")));

        assertThat(e.parameter()).contains("tags");
        assertThat(e).hasMessageContaining("-bad");
    }

    @Test
    void noTagsNamesTags() {
        assertThat(rejected(builder()).parameter()).contains("tags");
    }

    @Test
    void missingImageNamesImage() {
        assertThat(rejected(valid().image(null)).parameter()).contains("image");
    }

    @Test
    void buildArgsKeepTheirOrder() throws Exception {
        Map<String, String> args = new LinkedHashMap<>();
        args.put("Z_LAST", "1");
        args.put("A_FIRST", "2");
        args.put("_M", "3");

        BuildSpec spec = valid().buildArgs(args).build();

        assertThat(spec.buildArgs().keySet()).containsExactly("Z_LAST", "A_FIRST", "_M");
    }

    @Test
    void blankTargetNetworkAndBuilderBecomeNull() throws Exception {
        BuildSpec spec = valid().target("  ").network("").builderName(" ").build();

        assertThat(spec.target()).isNull();
        assertThat(spec.network()).isNull();
        assertThat(spec.builderName()).isNull();
    }

    @Test
    void targetNetworkAndBuilderAreTrimmed() throws Exception {
        BuildSpec spec = valid().target(" runtime ")
                .network(" host ")
                .builderName(" ci ")
                .build();

        assertThat(spec.target()).isEqualTo("runtime");
        assertThat(spec.network()).isEqualTo("host");
        assertThat(spec.builderName()).isEqualTo("ci");
    }

    @Test
    void missingMetadataFileIsAProgrammingError() {
        assertThatThrownBy(() -> valid().metadataFile(null).build()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void missingTimeoutOrProvenanceIsAProgrammingError() {
        assertThatThrownBy(() -> valid().timeout(null).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("timeout is required");
        assertThatThrownBy(() -> valid().provenance(null).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("provenance is required");
    }

    @Test
    void listsAreImmutableCopies() throws Exception {
        BuildSpec spec = valid().build();

        assertThatThrownBy(() -> spec.tags().add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> spec.buildArgs().put("A", "b")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void withoutTheRegistryCacheAtAHostKeepsEveryOtherCache() throws Exception {
        String ecr = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
        BuildSpec spec = valid().cache(new CacheSpec(
                        List.of(
                                CacheBackend.registry(ecr + "/app:buildcache-x"),
                                CacheBackend.registry(ecr + "/app:buildcache"),
                                CacheBackend.registry("ghcr.io/team/app:buildcache"),
                                CacheBackend.parse("type=local,src=/tmp/cache", "cacheFrom")),
                        List.of(CacheBackend.registry(ecr + "/app:buildcache-x")),
                        true))
                .build();

        BuildSpec local = spec.withoutRegistryCacheAt(java.util.Set.of(ecr));

        assertThat(local.cache().imports())
                .extracting(CacheBackend::toArgument)
                .containsExactly("type=registry,ref=ghcr.io/team/app:buildcache", "type=local,src=/tmp/cache");
        assertThat(local.cache().exports()).isEmpty();
        assertThat(local.cache().strict()).isTrue();
        assertThat(local.tags()).isEqualTo(spec.tags());
    }

    @Test
    void movingTheCacheChangesOnlyTheRefsInThatRepository() throws Exception {
        String ecr = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
        BuildSpec spec = valid().cache(new CacheSpec(
                        List.of(
                                CacheBackend.registry(ecr + "/app:buildcache-x"),
                                CacheBackend.registry(ecr + "/app:buildcache"),
                                CacheBackend.registry(ecr + "/app-other:buildcache")),
                        List.of(CacheBackend.registry(ecr + "/app:buildcache-x")),
                        false))
                .build();

        BuildSpec moved = spec.withCacheMoved(ecr + "/app", ecr + "/app-cache");

        assertThat(moved.cache().imports())
                .extracting(b -> b.ref().orElseThrow())
                .containsExactly(
                        ecr + "/app-cache:buildcache-x", ecr + "/app-cache:buildcache", ecr + "/app-other:buildcache");
        assertThat(moved.cache().exports())
                .extracting(b -> b.ref().orElseThrow())
                .containsExactly(ecr + "/app-cache:buildcache-x");
    }

    private BuildSpec.Builder builder() {
        try {
            return BuildSpec.builder()
                    .contextDirectory(context)
                    .image(ImageReference.parse("127.0.0.1:5000/app", "image"))
                    .timeout(Duration.ofHours(1))
                    .provenance("false")
                    .metadataFile(dir.resolve("target/metadata.json"));
        } catch (InvalidSpecException e) {
            throw new AssertionError(e);
        }
    }

    private BuildSpec.Builder valid() {
        return builder().tags(List.of("1.0"));
    }

    private static InvalidSpecException rejected(BuildSpec.Builder builder) {
        InvalidSpecException e = catchThrowableOfType(InvalidSpecException.class, builder::build);
        assertThat(e).isNotNull();
        return e;
    }
}
