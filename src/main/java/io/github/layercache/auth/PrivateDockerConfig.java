package io.github.layercache.auth;

import io.github.layercache.core.JsonDocuments;
import io.github.layercache.core.Text;
import io.github.layercache.registry.DockerHub;
import io.github.layercache.registry.RegistryCredential;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.codehaus.plexus.util.FileUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A docker config directory for one goal execution: owner-only, holding the user's own docker
 * config plus the credentials this build logged in with, and deleted on {@link #close()}. Docker
 * and buildx get it through {@code DOCKER_CONFIG}; the user's {@code config.json} is only read.
 */
public final class PrivateDockerConfig implements AutoCloseable {

    public static final String PREFIX = "layercache-docker-config-";

    private final Path directory;
    private final Map<String, String> environment;
    private final Thread deleteOnExit;

    private PrivateDockerConfig(Path directory, Map<String, String> environment) {
        this.directory = directory;
        this.environment = Map.copyOf(environment);
        // Ctrl-C on Maven ends the JVM without closing anything: the credentials must go all the same.
        this.deleteOnExit = new Thread(this::deleteQuietly, "layercache-delete-" + directory.getFileName());
        Runtime.getRuntime().addShutdownHook(deleteOnExit);
    }

    /**
     * Writes the private config.
     *
     * @param userConfigDirectory the user's docker config directory ({@code $DOCKER_CONFIG} or {@code ~/.docker})
     * @param buildxConfig the user's {@code BUILDX_CONFIG}, or null
     * @param parent where to create the directory (the JVM's temporary directory)
     */
    public static PrivateDockerConfig create(
            Path userConfigDirectory, String buildxConfig, List<RegistryCredential> credentials, Path parent)
            throws IOException {
        // Links and variables must not depend on the directory docker happens to run in.
        Path userDirectory = userConfigDirectory.toAbsolutePath().normalize();
        ObjectNode config = userConfig(userDirectory.resolve("config.json"));
        Path directory = Files.createTempDirectory(
                parent, PREFIX, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            addCredentials(config, credentials);
            Path file = directory.resolve("config.json");
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(
                    file, JsonDocuments.write(config), StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            // With another DOCKER_CONFIG the CLI would lose the user's plugins and contexts: link them.
            for (String shared : List.of("cli-plugins", "contexts")) {
                Path target = userDirectory.resolve(shared);
                if (Files.isDirectory(target)) {
                    Files.createSymbolicLink(directory.resolve(shared), target);
                }
            }
            Map<String, String> environment = new LinkedHashMap<>();
            environment.put("DOCKER_CONFIG", directory.toString());
            // ...and buildx its builders, which it keeps beside the config unless BUILDX_CONFIG says otherwise.
            environment.put(
                    "BUILDX_CONFIG",
                    Text.isSet(buildxConfig)
                            ? Path.of(buildxConfig).toAbsolutePath().normalize().toString()
                            : userDirectory.resolve("buildx").toString());
            return new PrivateDockerConfig(directory, environment);
        } catch (IOException | RuntimeException e) {
            delete(directory);
            throw e;
        }
    }

    /** {@code DOCKER_CONFIG} and {@code BUILDX_CONFIG} for the docker and buildx processes. */
    public Map<String, String> environment() {
        return environment;
    }

    public Path directory() {
        return directory;
    }

    @Override
    public void close() throws IOException {
        try {
            Runtime.getRuntime().removeShutdownHook(deleteOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to: it deletes the directory
        }
        delete(directory);
    }

    private void deleteQuietly() {
        try {
            delete(directory);
        } catch (IOException e) {
            System.err.println("[layercache] could not delete " + directory + ": " + e.getMessage());
        }
    }

    /** The user's {@code config.json} as it is, or an empty one; anything but a JSON object is an error. */
    private static ObjectNode userConfig(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return JsonDocuments.object();
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return JsonDocuments.object();
        }
        JsonNode config;
        try {
            config = JsonDocuments.tree(text);
        } catch (IOException e) {
            throw new IOException(
                    "Cannot read the docker config " + file + ": " + e.getMessage()
                            + ". Fix or remove it: docker cannot read it either.",
                    e);
        }
        if (!(config instanceof ObjectNode object)) {
            throw new IOException("Cannot read the docker config " + file + ": it is not a JSON object.");
        }
        return object;
    }

    /**
     * Adds each credential to {@code auths}. A credential helper or store would be asked first, so
     * the host gets an empty {@code credHelpers} entry: docker then reads this file for it.
     */
    private static void addCredentials(ObjectNode config, List<RegistryCredential> credentials) {
        ObjectNode auths = config.get("auths") instanceof ObjectNode existing ? existing : JsonDocuments.object();
        ObjectNode helpers =
                config.get("credHelpers") instanceof ObjectNode existing ? existing : JsonDocuments.object();
        for (RegistryCredential credential : credentials) {
            String key = DockerHub.configKey(credential.host());
            auths.set(key, JsonDocuments.object().put("auth", credential.dockerAuth()));
            if (config.has("credsStore") || helpers.has(key)) {
                helpers.put(key, "");
            }
        }
        config.set("auths", auths);
        if (!helpers.isEmpty()) {
            config.set("credHelpers", helpers);
        }
    }

    /** A {@code docker login} entry of the user's config for the host (its {@code auths}), when there is one. */
    static Optional<RegistryCredential> userCredential(Path userConfigDirectory, String host) {
        try {
            JsonNode auth = userConfig(
                            userConfigDirectory.toAbsolutePath().normalize().resolve("config.json"))
                    .path("auths")
                    .path(DockerHub.configKey(host))
                    .path("auth");
            if (!auth.isString()) {
                return Optional.empty();
            }
            String decoded = new String(Base64.getDecoder().decode(auth.stringValue()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0
                    ? Optional.empty()
                    : Optional.of(
                            new RegistryCredential(host, decoded.substring(0, colon), decoded.substring(colon + 1)));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Deletes the directory. plexus-utils deletes a directory entry before looking into it, so the
     * links to the user's CLI plugins and contexts are removed as links: what they point at stays.
     */
    private static void delete(Path directory) throws IOException {
        FileUtils.deleteDirectory(directory.toFile());
    }
}
