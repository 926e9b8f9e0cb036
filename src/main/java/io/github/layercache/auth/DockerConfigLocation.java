package io.github.layercache.auth;

import io.github.layercache.core.Text;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the user's docker configuration lives, and where a goal may make its private one.
 *
 * @param userConfigDirectory {@code $DOCKER_CONFIG}, else {@code ~/.docker}; only ever read
 * @param buildxConfig the user's {@code BUILDX_CONFIG}, or null
 * @param temporaryDirectory where private configs are made (the JVM's temporary directory)
 */
public record DockerConfigLocation(Path userConfigDirectory, String buildxConfig, Path temporaryDirectory) {

    /** The user's locations, as docker itself finds them from the environment. */
    public static DockerConfigLocation of(Map<String, String> environment, Path userHome, Path temporaryDirectory) {
        String dockerConfig = environment.get("DOCKER_CONFIG");
        Path config = Text.isSet(dockerConfig) ? Path.of(dockerConfig) : userHome.resolve(".docker");
        return new DockerConfigLocation(config, environment.get("BUILDX_CONFIG"), temporaryDirectory);
    }
}
