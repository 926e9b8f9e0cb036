package io.github.layercache.buildx;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.layercache.docker.DockerCli;
import io.github.layercache.docker.DockerEnvironment;
import io.github.layercache.testing.FakeDocker;
import io.github.layercache.testing.RecordingBuildLog;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuilderProbeTest {

    private final FakeDocker docker = new FakeDocker();
    private final BuilderProbe.Answers answers = new BuilderProbe.Answers();

    private BuilderProbe probe(Map<String, String> environment) {
        return new BuilderProbe(new DockerCli("docker", docker, new RecordingBuildLog()), answers, environment);
    }

    private void inspects(String name, String driver) {
        docker.on(
                "buildx inspect",
                FakeDocker.stdout(
                        0,
                        "Name:          " + name,
                        "Driver:        " + driver,
                        "Last Activity: 2026-12-01 10:00:00 +0000 UTC",
                        "",
                        "Nodes:",
                        "Name:             " + name + "0",
                        "Endpoint:         unix:///var/run/docker.sock"));
    }

    @Test
    void theDockerDriverOnAClassicImageStoreCannotExportACache() throws Exception {
        inspects("default", "docker");
        docker.on("info", FakeDocker.stdout(0, "[[\"Backing Filesystem\",\"extfs\"],[\"Supports d_type\",\"true\"]]"));

        BuilderProbe.Builder builder =
                probe(Map.of()).inspect(null, DockerEnvironment.inherited()).orElseThrow();

        assertThat(builder).isEqualTo(new BuilderProbe.Builder("default", "docker", true));
        assertThat(builder.cannotExportCache()).isTrue();
        assertThat(docker.calls("buildx inspect").get(0).args()).containsExactly("buildx", "inspect");
    }

    @Test
    void theDockerDriverOnTheContainerdStoreCan() throws Exception {
        inspects("default", "docker");
        docker.on("info", FakeDocker.stdout(0, "[[\"driver-type\",\"io.containerd.snapshotter.v1\"]]"));

        assertThat(probe(Map.of())
                        .inspect("default", DockerEnvironment.inherited())
                        .orElseThrow()
                        .cannotExportCache())
                .isFalse();
    }

    @Test
    void aDockerContainerBuilderIsNotAskedAboutTheImageStore() throws Exception {
        inspects("layercache", "docker-container");

        BuilderProbe.Builder builder = probe(Map.of())
                .inspect("layercache", DockerEnvironment.inherited())
                .orElseThrow();

        assertThat(builder.driver()).isEqualTo("docker-container");
        assertThat(builder.cannotExportCache()).isFalse();
        assertThat(docker.calls("info")).isEmpty();
    }

    @Test
    void aBuilderIsAskedAboutOncePerEndpointInAMavenRun() throws Exception {
        inspects("layercache", "docker-container");

        probe(Map.of()).inspect("layercache", DockerEnvironment.inherited());
        probe(Map.of()).inspect("layercache", DockerEnvironment.inherited());
        probe(Map.of("DOCKER_HOST", "unix:///other.sock")).inspect("layercache", DockerEnvironment.inherited());

        assertThat(docker.calls("buildx inspect")).hasSize(2);
    }

    @Test
    void anUnknownBuilderIsEmpty() throws Exception {
        docker.on("buildx inspect", FakeDocker.stderr(1, "ERROR: no builder \"missing\" found"));

        assertThat(probe(Map.of()).inspect("missing", DockerEnvironment.inherited()))
                .isEmpty();
    }
}
