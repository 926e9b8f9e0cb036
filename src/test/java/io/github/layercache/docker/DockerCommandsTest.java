package io.github.layercache.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.layercache.cache.CacheBackend;
import io.github.layercache.cache.CacheSpec;
import io.github.layercache.registry.ImageReference;
import io.github.layercache.spec.BuildSecret;
import io.github.layercache.spec.BuildSpec;
import io.github.layercache.spec.BuilderSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerCommandsTest {

    private static final BuildxVersion V0121 = new BuildxVersion(0, 12, 1);
    private static final BuildxVersion V0131 = new BuildxVersion(0, 13, 1);
    private static final BuildxVersion V0140 = new BuildxVersion(0, 14, 0);
    private static final BuildxVersion V0141 = new BuildxVersion(0, 14, 1);

    private static final String SECRET_VALUE = "s3cr3t-value-never-on-the-command-line";

    @TempDir
    Path dir;

    private Path context;
    private Path dockerfile;
    private Path metadata;
    private Path tokenFile;

    @BeforeEach
    void createFiles() throws Exception {
        context = Files.createDirectories(dir.resolve("ctx"));
        dockerfile = Files.writeString(context.resolve("Dockerfile"), "FROM scratch\n");
        metadata = dir.resolve("target/layercache-buildx-metadata.json");
        tokenFile = Files.writeString(dir.resolve("npm-token"), SECRET_VALUE);
    }

    @Test
    void everyOptionInItsPlace() throws Exception {
        Map<String, String> buildArgs = new LinkedHashMap<>();
        buildArgs.put("VERSION", "1.0");
        buildArgs.put("ALPHA", "a b");
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("org.opencontainers.image.version", "1.0");
        labels.put("team", "orders");
        CacheSpec cache = new CacheSpec(
                List.of(
                        CacheBackend.registry("127.0.0.1:5000/app:buildcache"),
                        CacheBackend.parse("type=gha,scope=x", "cacheFrom")),
                List.of(CacheBackend.registry("127.0.0.1:5000/app:buildcache").with("mode", "max")),
                false);

        BuildSpec spec = BuildSpec.builder()
                .timeout(Duration.ofHours(1))
                .provenance("false")
                .contextDirectory(context)
                .image(ImageReference.parse("127.0.0.1:5000/app", "image"))
                .tags(List.of("1.0", "latest"))
                .buildArgs(buildArgs)
                .target("runtime")
                .platforms(List.of("linux/amd64", "linux/arm64"))
                .labels(labels)
                .pull(true)
                .noCache(true)
                .network("host")
                .secret(new BuildSecret("npm", BuildSecret.Source.FILE, tokenFile.toString()))
                .secret(new BuildSecret("gh", BuildSecret.Source.ENV, "GH_TOKEN"))
                .ssh(List.of("default", "work=/home/me/.ssh/id_ed25519"))
                .builderName("ci-builder")
                .extraArgs(List.of("--shm-size=2g", "--ulimit=nofile=1024"))
                .cache(cache)
                .output(BuildSpec.Output.LOAD)
                .metadataFile(metadata)
                .build()
                .withBuildContext("java-app", dir.resolve("target/layercache/java-app"));

        assertThat(commandLine("/usr/bin/docker", spec))
                .containsExactly(
                        "/usr/bin/docker",
                        "buildx",
                        "build",
                        "--builder",
                        "ci-builder",
                        "--progress=plain",
                        "--file",
                        dockerfile.toAbsolutePath().normalize().toString(),
                        "--build-context",
                        "java-app=" + dir.resolve("target/layercache/java-app"),
                        "--tag",
                        "127.0.0.1:5000/app:1.0",
                        "--tag",
                        "127.0.0.1:5000/app:latest",
                        "--build-arg",
                        "VERSION=1.0",
                        "--build-arg",
                        "ALPHA=a b",
                        "--target",
                        "runtime",
                        "--platform",
                        "linux/amd64,linux/arm64",
                        "--label",
                        "org.opencontainers.image.version=1.0",
                        "--label",
                        "team=orders",
                        "--pull",
                        "--no-cache",
                        "--network",
                        "host",
                        "--secret",
                        "id=npm,src=" + tokenFile,
                        "--secret",
                        "id=gh,env=GH_TOKEN",
                        "--ssh",
                        "default",
                        "--ssh",
                        "work=/home/me/.ssh/id_ed25519",
                        "--cache-from",
                        "type=registry,ref=127.0.0.1:5000/app:buildcache",
                        "--cache-from",
                        "type=gha,scope=x",
                        "--cache-to",
                        "type=registry,ref=127.0.0.1:5000/app:buildcache,mode=max",
                        "--metadata-file",
                        metadata.toString(),
                        "--provenance=false",
                        "--sbom=false",
                        "--load",
                        "--shm-size=2g",
                        "--ulimit=nofile=1024",
                        context.toAbsolutePath().normalize().toString());
    }

    @Test
    void minimalSpec() throws Exception {
        BuildSpec spec = BuildSpec.builder()
                .timeout(Duration.ofHours(1))
                .provenance("false")
                .contextDirectory(context)
                .image(ImageReference.parse("app", "image"))
                .tags(List.of("1.0"))
                .output(BuildSpec.Output.NONE)
                .metadataFile(metadata)
                .build();

        assertThat(commandLine("docker", spec))
                .containsExactly(
                        "docker",
                        "buildx",
                        "build",
                        "--progress=plain",
                        "--file",
                        dockerfile.toAbsolutePath().normalize().toString(),
                        "--tag",
                        "app:1.0",
                        "--metadata-file",
                        metadata.toString(),
                        "--provenance=false",
                        "--sbom=false",
                        context.toAbsolutePath().normalize().toString());
    }

    @Test
    void theFingerprintTagIsNoTagOfTheImage() throws Exception {
        BuildSpec spec = BuildSpec.builder()
                .timeout(Duration.ofHours(1))
                .provenance("false")
                .contextDirectory(context)
                .image(ImageReference.parse("127.0.0.1:5000/app", "image"))
                .tags(List.of("1.0"))
                .fingerprintTag("fingerprint-" + "a".repeat(48))
                .output(BuildSpec.Output.LOAD)
                .metadataFile(metadata)
                .build();

        List<String> argv = commandLine("docker", spec);

        assertThat(argv).containsSubsequence("--tag", "127.0.0.1:5000/app:1.0");
        assertThat(argv).noneMatch(argument -> argument.contains("fingerprint-"));
    }

    @Test
    void theRegistryRouteSendsTheImageByDigestWithoutTags() throws Exception {
        BuildSpec spec = BuildSpec.builder()
                .timeout(Duration.ofHours(1))
                .provenance("false")
                .contextDirectory(context)
                .image(ImageReference.parse("127.0.0.1:5000/app", "image"))
                .tags(List.of("1.0", "latest"))
                .fingerprintTag("fingerprint-" + "a".repeat(48))
                .output(BuildSpec.Output.REGISTRY)
                .metadataFile(metadata)
                .build();

        List<String> argv = commandLine("docker", spec);

        assertThat(argv).doesNotContain("--tag", "--load");
        assertThat(argv)
                .containsSubsequence(
                        "--output",
                        "type=image,name=127.0.0.1:5000/app,push-by-digest=true,name-canonical=true,oci-mediatypes=true,push=true");
    }

    @Test
    void aSourceDateMakesTheBuildReproducibleOnEitherRoute() throws Exception {
        BuildSpec.Builder builder = BuildSpec.builder()
                .timeout(Duration.ofHours(1))
                .provenance("false")
                .contextDirectory(context)
                .image(ImageReference.parse("127.0.0.1:5000/app", "image"))
                .tags(List.of("1.0"))
                .sourceDateEpoch(1795392000L)
                .metadataFile(metadata);

        List<String> loaded =
                commandLine("docker", builder.output(BuildSpec.Output.LOAD).build());
        List<String> pushed =
                commandLine("docker", builder.output(BuildSpec.Output.REGISTRY).build());

        assertThat(loaded)
                .containsSubsequence("--build-arg", "SOURCE_DATE_EPOCH=1795392000")
                .contains("--load");
        assertThat(pushed)
                .containsSubsequence("--build-arg", "SOURCE_DATE_EPOCH=1795392000")
                .noneMatch(argument -> argument.contains("rewrite-timestamp"));
    }

    @Test
    void theUsersOwnSourceDateEpochArgumentWins() throws Exception {
        BuildSpec spec = BuildSpec.builder()
                .timeout(Duration.ofHours(1))
                .provenance("false")
                .contextDirectory(context)
                .image(ImageReference.parse("app", "image"))
                .tags(List.of("1.0"))
                .buildArgs(Map.of("SOURCE_DATE_EPOCH", "0"))
                .sourceDateEpoch(1795392000L)
                .metadataFile(metadata)
                .build();

        assertThat(commandLine("docker", spec))
                .contains("SOURCE_DATE_EPOCH=0")
                .doesNotContain("SOURCE_DATE_EPOCH=1795392000");
    }

    @Test
    void attestationsAreWhatTheSpecSays() throws Exception {
        BuildSpec spec = BuildSpec.builder()
                .timeout(Duration.ofHours(1))
                .contextDirectory(context)
                .image(ImageReference.parse("app", "image"))
                .tags(List.of("1.0"))
                .provenance("mode=max")
                .sbom(true)
                .metadataFile(metadata)
                .build();

        assertThat(commandLine("docker", spec)).contains("--provenance=mode=max", "--sbom=true");
    }

    @Test
    void contextDirectoryIsAlwaysLast() throws Exception {
        BuildSpec spec = BuildSpec.builder()
                .timeout(Duration.ofHours(1))
                .provenance("false")
                .contextDirectory(context)
                .image(ImageReference.parse("app", "image"))
                .tags(List.of("1.0"))
                .extraArgs(List.of("--push"))
                .metadataFile(metadata)
                .build();

        List<String> argv = commandLine("docker", spec);

        assertThat(argv.get(argv.size() - 1))
                .isEqualTo(context.toAbsolutePath().normalize().toString());
        assertThat(argv.get(argv.size() - 2)).isEqualTo("--push");
    }

    @Test
    void secretsContributeOnlyTheirSourceNeverTheirValue() throws Exception {
        BuildSpec spec = BuildSpec.builder()
                .timeout(Duration.ofHours(1))
                .provenance("false")
                .contextDirectory(context)
                .image(ImageReference.parse("app", "image"))
                .tags(List.of("1.0"))
                .secret(new BuildSecret("gh", BuildSecret.Source.ENV, "LAYERCACHE_TEST_TOKEN"))
                .secret(new BuildSecret("npm", BuildSecret.Source.FILE, tokenFile.toString()))
                .metadataFile(metadata)
                .build();

        List<String> argv = commandLine("docker", spec);

        assertThat(argv).contains("id=gh,env=LAYERCACHE_TEST_TOKEN", "id=npm,src=" + tokenFile);
        assertThat(String.join(" ", argv)).doesNotContain(SECRET_VALUE);
    }

    // ---------------------------------------------------------------- buildx create

    @Test
    void createCommandForDockerContainerHasEveryOptionInOrder() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("network", "host");
        options.put("memory", "2g");
        options.put("cpu-quota", "50000");
        BuilderSpec spec = new BuilderSpec(
                "lc",
                "docker-container",
                options,
                "123456789012.dkr.ecr.eu-west-1.amazonaws.com/buildkit:v0.13.2",
                Path.of("/etc/layercache/buildkitd.toml"),
                List.of("linux/amd64", "linux/arm64"),
                true,
                null);

        assertThat(createCommand(spec, V0141))
                .containsExactly(
                        "docker",
                        "buildx",
                        "create",
                        "--name",
                        "lc",
                        "--driver",
                        "docker-container",
                        "--driver-opt",
                        "image=123456789012.dkr.ecr.eu-west-1.amazonaws.com/buildkit:v0.13.2",
                        "--driver-opt",
                        "network=host",
                        "--driver-opt",
                        "memory=2g",
                        "--driver-opt",
                        "cpu-quota=50000",
                        "--driver-opt",
                        "default-load=true",
                        "--buildkitd-config",
                        "/etc/layercache/buildkitd.toml",
                        "--platform",
                        "linux/amd64,linux/arm64",
                        "--bootstrap");
    }

    @Test
    void minimalCreateCommandOnBuildx013HasNoDefaultLoad() {
        assertThat(createCommand(builder("lc", "docker-container"), V0131))
                .containsExactly("docker", "buildx", "create", "--name", "lc", "--driver", "docker-container");
    }

    @Test
    void defaultLoadStartsExactlyAtBuildx014() {
        BuilderSpec spec = builder("lc", "docker-container");

        assertThat(createCommand(spec, new BuildxVersion(0, 13, 99))).doesNotContain("default-load=true");
        assertThat(createCommand(spec, V0140))
                .containsExactly(
                        "docker",
                        "buildx",
                        "create",
                        "--name",
                        "lc",
                        "--driver",
                        "docker-container",
                        "--driver-opt",
                        "default-load=true");
    }

    @Test
    void defaultLoadIsOnlyForTheDockerContainerDriver() {
        BuilderSpec remote =
                new BuilderSpec("lc-remote", "remote", Map.of(), null, null, List.of(), false, "tcp://buildkitd:1234");
        BuilderSpec kubernetes =
                new BuilderSpec("lc-k8s", "kubernetes", Map.of("namespace", "ci"), null, null, List.of(), false, null);

        assertThat(createCommand(remote, V0141))
                .containsExactly(
                        "docker",
                        "buildx",
                        "create",
                        "--name",
                        "lc-remote",
                        "--driver",
                        "remote",
                        "tcp://buildkitd:1234");
        assertThat(createCommand(kubernetes, V0141))
                .containsExactly(
                        "docker",
                        "buildx",
                        "create",
                        "--name",
                        "lc-k8s",
                        "--driver",
                        "kubernetes",
                        "--driver-opt",
                        "namespace=ci");
    }

    @Test
    void theUsersDefaultLoadIsKeptAndNotDuplicated() {
        BuilderSpec spec = new BuilderSpec(
                "lc", "docker-container", Map.of("default-load", "false"), null, null, List.of(), false, null);

        List<String> argv = createCommand(spec, V0141);

        assertThat(argv)
                .containsExactly(
                        "docker",
                        "buildx",
                        "create",
                        "--name",
                        "lc",
                        "--driver",
                        "docker-container",
                        "--driver-opt",
                        "default-load=false");
    }

    @Test
    void buildkitdConfigFlagDependsOnTheBuildxVersion() {
        BuilderSpec spec = new BuilderSpec(
                "lc", "docker-container", Map.of(), null, Path.of("/tmp/bk.toml"), List.of(), false, null);

        assertThat(createCommand(spec, V0131))
                .containsSequence("--buildkitd-config", "/tmp/bk.toml")
                .doesNotContain("--config");
        assertThat(createCommand(spec, new BuildxVersion(0, 13, 0)))
                .containsSequence("--buildkitd-config", "/tmp/bk.toml");
        assertThat(createCommand(spec, V0121))
                .containsExactly(
                        "docker",
                        "buildx",
                        "create",
                        "--name",
                        "lc",
                        "--driver",
                        "docker-container",
                        "--config",
                        "/tmp/bk.toml");
    }

    @Test
    void remoteEndpointComesLastAfterPlatformsAndBootstrap() {
        BuilderSpec spec = new BuilderSpec(
                "lc", "remote", Map.of(), null, null, List.of("linux/arm64"), true, "tcp://buildkitd:1234");

        assertThat(createCommand(spec, V0141))
                .containsExactly(
                        "docker",
                        "buildx",
                        "create",
                        "--name",
                        "lc",
                        "--driver",
                        "remote",
                        "--platform",
                        "linux/arm64",
                        "--bootstrap",
                        "tcp://buildkitd:1234");
    }

    @Test
    void blankEndpointIsLeftOut() {
        BuilderSpec spec = new BuilderSpec("lc", "kubernetes", Map.of(), null, null, List.of(), false, "  ");

        assertThat(createCommand(spec, V0131))
                .containsExactly("docker", "buildx", "create", "--name", "lc", "--driver", "kubernetes");
    }

    @Test
    void createCommandUsesTheConfiguredDockerExecutable() {
        DockerCli docker = new DockerCli("/opt/docker/bin/docker", null, null);

        assertThat(docker.commandLine(DockerCommands.createBuilder(builder("lc", "docker-container"), V0131)
                        .args()))
                .startsWith("/opt/docker/bin/docker", "buildx", "create");
    }

    /** The create command line, {@code docker} first, as DockerCli runs it. */
    private static List<String> createCommand(BuilderSpec spec, BuildxVersion version) {
        return new DockerCli("docker", null, null)
                .commandLine(DockerCommands.createBuilder(spec, version).args());
    }

    private static BuilderSpec builder(String name, String driver) {
        return new BuilderSpec(name, driver, Map.of(), null, null, List.of(), false, null);
    }

    /** The full command line, {@code docker} first, as DockerCli runs it. */
    private static List<String> commandLine(String docker, BuildSpec spec) {
        List<String> argv = new ArrayList<>(List.of(docker));
        argv.addAll(DockerCommands.build(spec).args());
        return argv;
    }
}
