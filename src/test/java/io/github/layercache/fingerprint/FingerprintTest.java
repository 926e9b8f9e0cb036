package io.github.layercache.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.layercache.registry.ImageReference;
import io.github.layercache.spec.BuildSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FingerprintTest {

    @TempDir
    Path context;

    private Fingerprint.Settings settings;

    @BeforeEach
    void writeContext() throws Exception {
        Files.writeString(context.resolve("Dockerfile"), "FROM base\nCOPY . /app\n");
        Files.writeString(context.resolve(".dockerignore"), "notes.md\ntarget\n");
        Files.createDirectories(context.resolve("src"));
        Files.writeString(context.resolve("src/App.java"), "class App {}\n");
        Files.writeString(context.resolve("notes.md"), "notes\n");
        Files.createDirectories(context.resolve("target/layercache"));
        settings = new Fingerprint.Settings(
                "0.1.0", Set.of("BUILD_NUMBER"), List.of(), context.resolve("target/layercache"));
    }

    private BuildSpec spec(Map<String, String> args) throws Exception {
        return BuildSpec.builder()
                .timeout(Duration.ofHours(1))
                .provenance("false")
                .contextDirectory(context)
                .image(ImageReference.parse("registry.example.com/app", "image"))
                .tags(List.of("1.0"))
                .buildArgs(args)
                .metadataFile(context.resolve("target/meta.json"))
                .build();
    }

    private String fingerprint() throws Exception {
        return Fingerprint.of(spec(Map.of()), settings).value();
    }

    @Test
    void sameInputsGiveTheSameFingerprint() throws Exception {
        assertThat(fingerprint()).isEqualTo(fingerprint()).hasSize(64);
    }

    @Test
    void oneChangedByteInAnIncludedFileChangesIt() throws Exception {
        String before = fingerprint();
        Files.writeString(context.resolve("src/App.java"), "class App {} \n");

        assertThat(fingerprint()).isNotEqualTo(before);
    }

    private String withJavaApp() throws Exception {
        return Fingerprint.of(
                        spec(Map.of()).withBuildContext("java-app", context.resolve("target/layercache/java-app")),
                        settings)
                .value();
    }

    @Test
    void aNamedContextCountsWithEveryFileItHolds() throws Exception {
        Path layers = Files.createDirectories(context.resolve("target/layercache/java-app/classes/app/classes"));
        Files.writeString(layers.resolve("App.class"), "v1");
        String without = fingerprint();
        String with = withJavaApp();
        Files.writeString(layers.resolve("App.class"), "v2");
        String changed = withJavaApp();

        assertThat(with).isNotEqualTo(without);
        assertThat(changed).isNotEqualTo(with);
        assertThat(fingerprint())
                .as("the plugin's own output is no input of the main context")
                .isEqualTo(without);
    }

    @Test
    void aNewIncludedFileChangesIt() throws Exception {
        String before = fingerprint();
        Files.writeString(context.resolve("src/Other.java"), "");

        assertThat(fingerprint()).isNotEqualTo(before);
    }

    @Test
    void anIgnoredFileDoesNotCount() throws Exception {
        String before = fingerprint();
        Files.writeString(context.resolve("notes.md"), "other notes\n");
        Files.writeString(context.resolve("target/app.jar"), "jar");

        assertThat(fingerprint()).isEqualTo(before);
    }

    @Test
    void thePluginsOwnOutputNeverCountsEvenWithoutADockerignore() throws Exception {
        Files.delete(context.resolve(".dockerignore"));
        String before = fingerprint();
        Files.writeString(context.resolve("target/layercache/image.json"), "{\"digest\":\"sha256:1\"}");

        assertThat(fingerprint()).isEqualTo(before);
    }

    @Test
    void theDockerfileCounts() throws Exception {
        String before = fingerprint();
        Files.writeString(context.resolve("Dockerfile"), "FROM base\nCOPY . /srv\n");

        assertThat(fingerprint()).isNotEqualTo(before);
    }

    @Test
    void anExecutableBitCounts() throws Exception {
        String before = fingerprint();
        context.resolve("src/App.java").toFile().setExecutable(true);

        assertThat(fingerprint()).isNotEqualTo(before);
    }

    @Test
    void buildArgumentsCountButVolatileOnesDoNot() throws Exception {
        String one = Fingerprint.of(spec(Map.of("VERSION", "1", "BUILD_NUMBER", "7")), settings)
                .value();
        String otherBuild = Fingerprint.of(spec(Map.of("BUILD_NUMBER", "8", "VERSION", "1")), settings)
                .value();
        String otherVersion = Fingerprint.of(spec(Map.of("VERSION", "2", "BUILD_NUMBER", "7")), settings)
                .value();

        assertThat(otherBuild).isEqualTo(one);
        assertThat(otherVersion).isNotEqualTo(one);
    }

    @Test
    void anotherPluginVersionOrBaseImageDigestChangesIt() throws Exception {
        String before = fingerprint();
        Fingerprint.Settings newer = new Fingerprint.Settings("0.2.0", Set.of(), List.of(), settings.pluginOutput());
        Fingerprint.Settings rebased = new Fingerprint.Settings(
                "0.1.0", Set.of(), List.of("base@sha256:" + "1".repeat(64)), settings.pluginOutput());

        assertThat(Fingerprint.of(spec(Map.of()), newer).value()).isNotEqualTo(before);
        assertThat(Fingerprint.of(spec(Map.of()), rebased).value()).isNotEqualTo(before);
    }

    @Test
    void aDockerignoreNamedAfterTheDockerfileWins() throws Exception {
        String before = fingerprint();
        Files.writeString(context.resolve("Dockerfile.dockerignore"), "notes.md\ntarget\nsrc\n");
        String withOwnIgnore = fingerprint();
        Files.writeString(context.resolve("src/App.java"), "class App { int changed; }\n");

        assertThat(withOwnIgnore).isNotEqualTo(before);
        assertThat(fingerprint()).isEqualTo(withOwnIgnore);
    }

    @Test
    void theTagIsShortEnoughForEveryRegistry() throws Exception {
        Fingerprint fingerprint = Fingerprint.of(spec(Map.of()), settings);

        assertThat(fingerprint.tag()).startsWith("fingerprint-").hasSize(60);
        assertThat(fingerprint.value()).startsWith(fingerprint.tag().substring("fingerprint-".length()));
    }

    @Test
    void withoutPlatformsTheMachinesPlatformCountsAndTheNetworkToo() throws Exception {
        String plain = fingerprint();
        BuildSpec arm = BuildSpec.builder()
                .timeout(Duration.ofHours(1))
                .provenance("false")
                .contextDirectory(context)
                .image(ImageReference.parse("registry.example.com/app", "image"))
                .tags(List.of("1.0"))
                .platforms(List.of("linux/arm64"))
                .metadataFile(context.resolve("target/meta.json"))
                .build();
        BuildSpec hostNetwork = BuildSpec.builder()
                .timeout(Duration.ofHours(1))
                .provenance("false")
                .contextDirectory(context)
                .image(ImageReference.parse("registry.example.com/app", "image"))
                .tags(List.of("1.0"))
                .network("host")
                .metadataFile(context.resolve("target/meta.json"))
                .build();

        assertThat(Fingerprint.hostPlatform()).startsWith("linux/");
        assertThat(Fingerprint.of(arm, settings).value()).isNotEqualTo(plain);
        assertThat(Fingerprint.of(hostNetwork, settings).value()).isNotEqualTo(plain);
    }
}
