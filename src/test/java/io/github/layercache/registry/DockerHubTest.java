package io.github.layercache.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DockerHubTest {

    @Test
    void dockerHubCredentialsGoUnderTheKeyDockerLooksThemUpBy() {
        assertThat(DockerHub.configKey("docker.io")).isEqualTo("https://index.docker.io/v1/");
        assertThat(DockerHub.configKey("registry-1.docker.io")).isEqualTo("https://index.docker.io/v1/");
        assertThat(DockerHub.configKey("ghcr.io")).isEqualTo("ghcr.io");
    }

    @Test
    void everyNameOfDockerHubReachesItsRegistryApi() {
        assertThat(DockerHub.apiHost("docker.io")).isEqualTo("registry-1.docker.io");
        assertThat(DockerHub.apiHost("index.docker.io")).isEqualTo("registry-1.docker.io");
        assertThat(DockerHub.apiHost("registry-1.docker.io")).isEqualTo("registry-1.docker.io");
        assertThat(DockerHub.apiHost("ghcr.io")).isEqualTo("ghcr.io");
    }
}
