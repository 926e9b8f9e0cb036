package io.github.layercache.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.layercache.docker.DockerCli;
import io.github.layercache.docker.DockerEnvironment;
import io.github.layercache.docker.RegistryImages;
import io.github.layercache.fingerprint.Fingerprint;
import io.github.layercache.log.BuildLog;
import io.github.layercache.registry.ImageReference;
import io.github.layercache.spec.BuildSpec;
import io.github.layercache.testing.FakeDocker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReuseCheckTest {

    private static final String DIGEST = "sha256:" + "a".repeat(64);

    @TempDir
    Path context;

    private final List<String> infos = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final List<List<String>> commands = new ArrayList<>();
    private final Map<String, String> environment = Map.of("DOCKER_CONFIG", "/private");

    private final BuildLog log = new BuildLog() {
        @Override
        public void debug(String message) {}

        @Override
        public void info(String message) {
            infos.add(message);
        }

        @Override
        public void warn(String message) {
            warnings.add(message);
        }
    };

    /** A docker whose imagetools answers with these lines and this exit code. */
    private ReuseCheck check(int exitCode, String... lines) {
        FakeDocker docker = new FakeDocker().on("buildx imagetools inspect", (call, out) -> {
            commands.add(call.spec().command());
            assertThat(call.spec().environment()).containsAllEntriesOf(environment);
            return FakeDocker.stderr(exitCode, lines).answer(call, out);
        });
        return new ReuseCheck(
                new RegistryImages(new DockerCli("docker", docker, log)),
                log,
                new DockerEnvironment(environment, Set.of()));
    }

    private BuildSpec spec() throws Exception {
        Files.writeString(context.resolve("Dockerfile"), "FROM base\n");
        return BuildSpec.builder()
                .timeout(Duration.ofHours(1))
                .provenance("false")
                .contextDirectory(context)
                .image(ImageReference.parse("registry.example.com/app", "image"))
                .tags(List.of("1.0"))
                .metadataFile(context.resolve("m.json"))
                .fingerprintTag("fingerprint-" + "b".repeat(48))
                .build();
    }

    /** A docker whose imagetools answers the mark's raw manifest with {@code mark}, and the image with {@code image}. */
    private ReuseCheck registryWith(String mark, FakeDocker.Reply image) {
        FakeDocker docker = new FakeDocker().on("buildx imagetools inspect", (call, out) -> {
            commands.add(call.spec().command());
            return call.spec().command().contains("--raw")
                    ? FakeDocker.stdout(0, mark).answer(call, out)
                    : image.answer(call, out);
        });
        return new ReuseCheck(
                new RegistryImages(new DockerCli("docker", docker, log)),
                log,
                new DockerEnvironment(environment, Set.of()));
    }

    private static String mark(String artifactType) {
        return "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"artifactType\":\""
                + artifactType + "\",\"subject\":{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"digest\":\"" + DIGEST + "\",\"size\":1234}}";
    }

    @Test
    void theImageTheFingerprintMarkPointsAtIsReused() throws Exception {
        ReuseCheck check = registryWith(
                mark("application/vnd.layercache.fingerprint.v1"),
                FakeDocker.stdout(
                        0,
                        "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + DIGEST
                                + "\"}"));

        assertThat(check.existingImage(spec())).contains(DIGEST);
        assertThat(commands)
                .containsExactly(
                        List.of(
                                "docker",
                                "buildx",
                                "imagetools",
                                "inspect",
                                "--raw",
                                "registry.example.com/app:fingerprint-" + "b".repeat(48)),
                        List.of(
                                "docker",
                                "buildx",
                                "imagetools",
                                "inspect",
                                "registry.example.com/app@" + DIGEST,
                                "--format",
                                "{{json .Manifest}}"));
    }

    @Test
    void aMarkWhoseImageIsGoneMeansBuild() throws Exception {
        ReuseCheck check = registryWith(
                mark("application/vnd.layercache.fingerprint.v1"),
                FakeDocker.stderr(1, "ERROR: registry.example.com/app@" + DIGEST + ": not found"));

        assertThat(check.existingImage(spec())).isEmpty();
        assertThat(infos).singleElement().asString().startsWith("No image with these inputs in the registry yet");
    }

    @Test
    void anImageTaggedDirectlyWithTheTagIsNoMark() throws Exception {
        ReuseCheck check = registryWith(
                "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"layers\":[]}",
                FakeDocker.stdout(0, "{}"));

        assertThat(check.existingImage(spec())).isEmpty();
        assertThat(commands).hasSize(1);
    }

    @Test
    void noSuchTagMeansBuildAndSaysSo() throws Exception {
        ReuseCheck check = check(1, "ERROR: registry.example.com/app:fingerprint-bbb: not found");

        assertThat(check.existingImage(spec())).isEmpty();
        assertThat(infos)
                .containsExactly("No image with these inputs in the registry yet (fingerprint-" + "b".repeat(48)
                        + "): building.");
        assertThat(warnings).isEmpty();
    }

    @Test
    void anUnreachableRegistryMeansBuildWithAWarningNotAFailure() throws Exception {
        ReuseCheck check = check(1, "ERROR: failed to do request: dial tcp 127.0.0.1:1: connect: connection refused");

        assertThat(check.existingImage(spec())).isEmpty();
        assertThat(warnings)
                .singleElement()
                .asString()
                .startsWith("Cannot check the registry for an image with these inputs (")
                .contains("connection refused")
                .endsWith("): building.");
    }

    @Test
    void aBaseImageMissingFromItsRegistryTurnsTheCheckOff() throws Exception {
        ReuseCheck check = check(1, "ERROR: base: not found");

        assertThat(check.fingerprint(spec(), new Fingerprint.Settings("0.1.0", Set.of(), List.of(), null), true))
                .isEmpty();
        assertThat(warnings)
                .containsExactly("Base image base is not in its registry: building without the fingerprint check.");
    }

    @Test
    void withoutBaseImagesNothingIsAsked() throws Exception {
        ReuseCheck check = check(1);

        assertThat(check.fingerprint(spec(), new Fingerprint.Settings("0.1.0", Set.of(), List.of(), null), false))
                .isPresent();
        assertThat(commands).isEmpty();
    }
}
