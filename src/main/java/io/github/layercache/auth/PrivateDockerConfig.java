package io.github.layercache.auth;

import io.github.layercache.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
        Map<String, Object> config = userConfig(userDirectory.resolve("config.json"));
        Path directory = Files.createTempDirectory(
                parent, PREFIX, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            addCredentials(config, credentials);
            Path file = directory.resolve("config.json");
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, Json.write(config), StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
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
                    buildxConfig != null && !buildxConfig.isBlank()
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

    @SuppressWarnings("unchecked")
    private static Map<String, Object> userConfig(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return new LinkedHashMap<>();
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return new LinkedHashMap<>();
        }
        try {
            return new LinkedHashMap<>(Json.parseObject(text));
        } catch (IllegalArgumentException e) {
            throw new IOException("Cannot read the docker config " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Adds each credential to {@code auths}. A credential helper or store would be asked first, so
     * the host gets an empty {@code credHelpers} entry: docker then reads this file for it.
     */
    @SuppressWarnings("unchecked")
    private static void addCredentials(Map<String, Object> config, List<RegistryCredential> credentials) {
        Map<String, Object> auths = config.get("auths") instanceof Map<?, ?> m
                ? new LinkedHashMap<>((Map<String, Object>) m)
                : new LinkedHashMap<>();
        Map<String, Object> helpers = config.get("credHelpers") instanceof Map<?, ?> m
                ? new LinkedHashMap<>((Map<String, Object>) m)
                : new LinkedHashMap<>();
        for (RegistryCredential credential : credentials) {
            String key = configKey(credential.host());
            auths.put(key, Map.of("auth", credential.dockerAuth()));
            if (config.containsKey("credsStore") || helpers.containsKey(key)) {
                helpers.put(key, "");
            }
        }
        config.put("auths", auths);
        if (!helpers.isEmpty()) {
            config.put("credHelpers", helpers);
        }
    }

    /** Docker files Docker Hub's credentials under its old index address, whatever name the image used. */
    static String configKey(String host) {
        return switch (host) {
            case "docker.io", "index.docker.io", "registry-1.docker.io" -> "https://index.docker.io/v1/";
            default -> host;
        };
    }

    private static void delete(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        Files.walkFileTree(directory, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
