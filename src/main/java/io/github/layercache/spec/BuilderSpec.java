package io.github.layercache.spec;

import io.github.layercache.core.InvalidSpecException;
import io.github.layercache.core.Text;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An immutable description of the buildx builder to prepare.
 *
 * @param name the builder's name; for the {@code docker} driver, the Docker context's builder
 * @param driver {@code docker-container}, {@code docker}, {@code remote} or {@code kubernetes}
 * @param driverOptions {@code --driver-opt} values, in order
 * @param buildkitImage the BuildKit image the builder runs, e.g. a private copy of {@code moby/buildkit}
 * @param buildkitdConfig a {@code buildkitd.toml} (registry mirrors, insecure registries), or null
 * @param platforms fixed platforms of the builder's node
 * @param bootstrap whether to boot the builder now rather than at the first build
 * @param endpoint the remote driver's address or the kubernetes context, or null
 */
public record BuilderSpec(
        String name,
        String driver,
        Map<String, String> driverOptions,
        String buildkitImage,
        Path buildkitdConfig,
        List<String> platforms,
        boolean bootstrap,
        String endpoint) {

    public static final Set<String> DRIVERS = Set.of("docker-container", "docker", "remote", "kubernetes");
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");

    public BuilderSpec {
        driverOptions = Collections.unmodifiableMap(new LinkedHashMap<>(driverOptions));
        platforms = List.copyOf(platforms);
    }

    /** Checks the spec and names the parameter at fault. */
    public BuilderSpec validated() throws InvalidSpecException {
        if (!DRIVERS.contains(driver)) {
            throw new InvalidSpecException(
                    "driver",
                    "Unknown buildx driver '" + driver + "': use docker-container, docker, remote or kubernetes.");
        }
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidSpecException(
                    "builder", "Invalid builder name '" + name + "': use letters, digits, '.', '_' and '-'.");
        }
        if (driver.equals("remote") && !Text.isSet(endpoint)) {
            throw new InvalidSpecException(
                    "endpoint", "The remote driver needs the BuildKit daemon's address, e.g. tcp://buildkitd:1234.");
        }
        if (buildkitdConfig != null && !Files.isRegularFile(buildkitdConfig)) {
            throw new InvalidSpecException(
                    "buildkitdConfig", "The BuildKit daemon config file " + buildkitdConfig + " does not exist.");
        }
        if (driver.equals("docker") && (buildkitImage != null || !driverOptions.isEmpty() || buildkitdConfig != null)) {
            throw new InvalidSpecException(
                    "driver",
                    "The docker driver runs the Docker Engine's own BuildKit: it takes no BuildKit image, driver"
                            + " options or buildkitd config. Use the docker-container driver for those.");
        }
        return this;
    }

    /** Whether this driver runs a BuildKit image that must be pulled when the builder boots. */
    public boolean pullsBuildkitImage() {
        return driver.equals("docker-container") || driver.equals("kubernetes");
    }
}
