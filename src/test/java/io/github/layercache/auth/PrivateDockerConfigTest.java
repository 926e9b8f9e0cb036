package io.github.layercache.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.layercache.registry.RegistryCredential;
import io.github.layercache.testing.JsonMaps;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PrivateDockerConfigTest {

    private static final String ECR = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
    private static final RegistryCredential ECR_LOGIN = new RegistryCredential(ECR, "AWS", "ecr-Secret:with-colon");
    private static final RegistryCredential LOCAL_LOGIN = new RegistryCredential("127.0.0.1:5502", "ci", "pässword");

    @TempDir
    Path user;

    @TempDir
    Path parent;

    private static String auth(String user, String password) {
        return Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private Path writeUserConfig(String json) throws IOException {
        return Files.writeString(user.resolve("config.json"), json, StandardCharsets.UTF_8);
    }

    private static Map<String, Object> read(PrivateDockerConfig config) throws IOException {
        return JsonMaps.parse(Files.readString(config.directory().resolve("config.json"), StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<String, Object> map, String key) {
        assertThat(map.get(key)).as(key).isInstanceOf(Map.class);
        return (Map<String, Object>) map.get(key);
    }

    private List<Path> parentEntries() throws IOException {
        try (Stream<Path> entries = Files.list(parent)) {
            return entries.toList();
        }
    }

    @Test
    void theDirectoryAndFileAreOwnerOnly() throws IOException {
        try (PrivateDockerConfig config = PrivateDockerConfig.create(user, null, List.of(ECR_LOGIN), parent)) {
            Path directory = config.directory();

            assertThat(directory.getParent()).isEqualTo(parent);
            assertThat(directory.getFileName().toString()).startsWith(PrivateDockerConfig.PREFIX);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory)))
                    .isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory.resolve("config.json"))))
                    .isEqualTo("rw-------");
        }
    }

    @Test
    void withoutAUserConfigTheFileHoldsOurAuthsOnly() throws IOException {
        try (PrivateDockerConfig config =
                PrivateDockerConfig.create(user, null, List.of(ECR_LOGIN, LOCAL_LOGIN), parent)) {
            Map<String, Object> json = read(config);

            assertThat(json).containsOnlyKeys("auths");
            Map<String, Object> auths = object(json, "auths");
            assertThat(auths).containsOnlyKeys(ECR, "127.0.0.1:5502");
            assertThat(object(auths, ECR)).containsExactly(Map.entry("auth", auth("AWS", "ecr-Secret:with-colon")));
            assertThat(object(auths, "127.0.0.1:5502")).containsExactly(Map.entry("auth", auth("ci", "pässword")));
        }
    }

    @Test
    void aBlankUserConfigIsLikeNone() throws IOException {
        writeUserConfig("  \n");

        try (PrivateDockerConfig config = PrivateDockerConfig.create(user, null, List.of(LOCAL_LOGIN), parent)) {
            assertThat(object(read(config), "auths")).containsOnlyKeys("127.0.0.1:5502");
        }
    }

    @Test
    void theUsersConfigIsKeptAndOurCredentialsAdded() throws IOException {
        String userJson = """
                {
                  "auths": {
                    "ghcr.io": {"auth": "dXNlcjpnaGNy"},
                    "127.0.0.1:5502": {"auth": "b2xkOm9sZA=="}
                  },
                  "credHelpers": {"gcr.io": "gcloud"},
                  "currentContext": "remote",
                  "proxies": {"default": {"httpProxy": "http://proxy.example:3128"}},
                  "detachKeys": "ctrl-e,e"
                }
                """;
        Path userFile = writeUserConfig(userJson);
        byte[] before = Files.readAllBytes(userFile);

        try (PrivateDockerConfig config =
                PrivateDockerConfig.create(user, null, List.of(ECR_LOGIN, LOCAL_LOGIN), parent)) {
            Map<String, Object> json = read(config);

            Map<String, Object> auths = object(json, "auths");
            assertThat(object(auths, "ghcr.io")).containsExactly(Map.entry("auth", "dXNlcjpnaGNy"));
            assertThat(object(auths, ECR)).containsExactly(Map.entry("auth", auth("AWS", "ecr-Secret:with-colon")));
            // ours replaces the user's entry for the same host
            assertThat(object(auths, "127.0.0.1:5502")).containsExactly(Map.entry("auth", auth("ci", "pässword")));
            // no credsStore and no helper for our hosts: their helpers are untouched
            assertThat(object(json, "credHelpers")).containsExactly(Map.entry("gcr.io", "gcloud"));
            assertThat(json).containsEntry("currentContext", "remote").containsEntry("detachKeys", "ctrl-e,e");
            assertThat(object(object(json, "proxies"), "default"))
                    .containsEntry("httpProxy", "http://proxy.example:3128");
            assertThat(json).doesNotContainKey("credsStore");
        }
        assertThat(Files.readAllBytes(userFile)).isEqualTo(before);
    }

    @Test
    void aCredentialsStoreGetsAnEmptyHelperForOurHostsSoThatDockerReadsThisFile() throws IOException {
        Path userFile = writeUserConfig("""
                {"auths": {"docker.io": {}}, "credsStore": "desktop", "credHelpers": {"gcr.io": "gcloud"}}
                """);
        byte[] before = Files.readAllBytes(userFile);

        try (PrivateDockerConfig config =
                PrivateDockerConfig.create(user, null, List.of(ECR_LOGIN, LOCAL_LOGIN), parent)) {
            Map<String, Object> json = read(config);

            assertThat(json).containsEntry("credsStore", "desktop");
            assertThat(object(json, "credHelpers"))
                    .containsOnly(Map.entry("gcr.io", "gcloud"), Map.entry(ECR, ""), Map.entry("127.0.0.1:5502", ""));
            assertThat(object(json, "auths")).containsOnlyKeys("docker.io", ECR, "127.0.0.1:5502");
            assertThat(object(object(json, "auths"), "docker.io")).isEmpty();
        }
        assertThat(Files.readAllBytes(userFile)).isEqualTo(before);
    }

    @Test
    void aHelperForOneOfOurHostsIsEmptiedAndTheOthersKept() throws IOException {
        Path userFile = writeUserConfig("""
                {"credHelpers": {"%s": "ecr-login", "gcr.io": "gcloud"}}
                """.formatted(ECR));
        byte[] before = Files.readAllBytes(userFile);

        try (PrivateDockerConfig config =
                PrivateDockerConfig.create(user, null, List.of(ECR_LOGIN, LOCAL_LOGIN), parent)) {
            Map<String, Object> json = read(config);

            assertThat(object(json, "credHelpers")).containsOnly(Map.entry(ECR, ""), Map.entry("gcr.io", "gcloud"));
            assertThat(object(json, "auths")).containsOnlyKeys(ECR, "127.0.0.1:5502");
            assertThat(json).doesNotContainKey("credsStore");
        }
        assertThat(Files.readAllBytes(userFile)).isEqualTo(before);
    }

    @Test
    void anInvalidUserConfigIsAnErrorNamingTheFileAndLeavesNothingBehind() throws IOException {
        Path userFile = writeUserConfig("{\"auths\": {");

        IOException e = catchThrowableOfType(
                IOException.class, () -> PrivateDockerConfig.create(user, null, List.of(ECR_LOGIN), parent));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains(userFile.toString());
        assertThat(parentEntries()).isEmpty();
    }

    @Test
    void aUserConfigThatIsNotAnObjectIsAnErrorToo() throws IOException {
        Path userFile = writeUserConfig("[1, 2]");

        IOException e = catchThrowableOfType(
                IOException.class, () -> PrivateDockerConfig.create(user, null, List.of(ECR_LOGIN), parent));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains(userFile.toString());
        assertThat(parentEntries()).isEmpty();
    }

    @Test
    void cliPluginsAndContextsAreLinkedWhenTheUserHasThem() throws IOException {
        Path plugins = Files.createDirectories(user.resolve("cli-plugins"));
        Path buildx = Files.writeString(plugins.resolve("docker-buildx"), "#!/bin/sh\n");
        Path contexts = Files.createDirectories(user.resolve("contexts/meta/abc"));
        Files.writeString(contexts.resolve("meta.json"), "{}");

        try (PrivateDockerConfig config = PrivateDockerConfig.create(user, null, List.of(LOCAL_LOGIN), parent)) {
            Path linkedPlugins = config.directory().resolve("cli-plugins");
            Path linkedContexts = config.directory().resolve("contexts");

            assertThat(Files.isSymbolicLink(linkedPlugins)).isTrue();
            assertThat(Files.readSymbolicLink(linkedPlugins)).isEqualTo(plugins);
            assertThat(linkedPlugins.resolve("docker-buildx")).hasContent("#!/bin/sh");
            assertThat(Files.isSymbolicLink(linkedContexts)).isTrue();
            assertThat(linkedContexts.resolve("meta/abc/meta.json")).exists();
        }

        assertThat(plugins).isDirectory();
        assertThat(buildx).hasContent("#!/bin/sh");
        assertThat(contexts.resolve("meta.json")).exists();
    }

    @Test
    void nothingIsLinkedWhenTheUserHasNoPluginsOrContexts() throws IOException {
        Files.writeString(user.resolve("cli-plugins"), "not a directory");

        try (PrivateDockerConfig config = PrivateDockerConfig.create(user, null, List.of(LOCAL_LOGIN), parent)) {
            try (Stream<Path> entries = Files.list(config.directory())) {
                assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("config.json");
            }
        }
    }

    @Test
    void aRelativeUserConfigDirectoryStillLinksToTheUsersPlugins() throws IOException {
        Path plugins = Files.createDirectories(user.resolve("cli-plugins"));
        Files.writeString(plugins.resolve("docker-buildx"), "#!/bin/sh\n");
        Path relativeUser = Path.of("").toAbsolutePath().relativize(user);
        assertThat(relativeUser.isAbsolute()).isFalse();

        try (PrivateDockerConfig config =
                PrivateDockerConfig.create(relativeUser, null, List.of(LOCAL_LOGIN), parent)) {
            assertThat(config.directory().resolve("cli-plugins/docker-buildx")).exists();
        }
    }

    @Test
    void theEnvironmentPointsDockerAndBuildxToTheRightPlaces() throws IOException {
        try (PrivateDockerConfig config = PrivateDockerConfig.create(user, null, List.of(LOCAL_LOGIN), parent)) {
            assertThat(config.environment())
                    .containsOnly(
                            Map.entry("DOCKER_CONFIG", config.directory().toString()),
                            Map.entry("BUILDX_CONFIG", user.resolve("buildx").toString()));
        }
        try (PrivateDockerConfig config = PrivateDockerConfig.create(user, " ", List.of(LOCAL_LOGIN), parent)) {
            assertThat(config.environment())
                    .containsEntry("BUILDX_CONFIG", user.resolve("buildx").toString());
        }
        try (PrivateDockerConfig config =
                PrivateDockerConfig.create(user, "/opt/buildx-state", List.of(LOCAL_LOGIN), parent)) {
            assertThat(config.environment())
                    .containsOnly(
                            Map.entry("DOCKER_CONFIG", config.directory().toString()),
                            Map.entry("BUILDX_CONFIG", "/opt/buildx-state"));
        }
    }

    @Test
    void closeDeletesTheDirectoryButNotWhatItLinksTo() throws IOException {
        Path plugins = Files.createDirectories(user.resolve("cli-plugins"));
        Path buildx = Files.writeString(plugins.resolve("docker-buildx"), "plugin");
        Path contexts = Files.createDirectories(user.resolve("contexts"));
        Path userFile = writeUserConfig("{\"auths\": {\"ghcr.io\": {\"auth\": \"eDp5\"}}, \"currentContext\": \"x\"}");
        byte[] before = Files.readAllBytes(userFile);

        PrivateDockerConfig config = PrivateDockerConfig.create(user, null, List.of(ECR_LOGIN), parent);
        Path directory = config.directory();
        assertThat(directory).isDirectory();
        config.close();

        assertThat(Files.exists(directory, LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(parentEntries()).isEmpty();
        assertThat(plugins).isDirectory();
        assertThat(buildx).hasContent("plugin");
        assertThat(contexts).isDirectory();
        assertThat(Files.readAllBytes(userFile)).isEqualTo(before);

        config.close(); // a second close is harmless
    }

    @Test
    void eachConfigHasItsOwnDirectory() throws IOException {
        try (PrivateDockerConfig one = PrivateDockerConfig.create(user, null, List.of(ECR_LOGIN), parent);
                PrivateDockerConfig two = PrivateDockerConfig.create(user, null, List.of(LOCAL_LOGIN), parent)) {
            assertThat(one.directory()).isNotEqualTo(two.directory());
            assertThat(object(read(one), "auths")).containsOnlyKeys(ECR);
            assertThat(object(read(two), "auths")).containsOnlyKeys("127.0.0.1:5502");
        }
        assertThat(parentEntries()).isEmpty();
    }
}
