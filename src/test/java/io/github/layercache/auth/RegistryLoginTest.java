package io.github.layercache.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.layercache.core.LayercacheException;
import io.github.layercache.registry.RegistryCredential;
import io.github.layercache.testing.JsonMaps;
import io.github.layercache.testing.RecordingBuildLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RegistryLoginTest {

    private static final String ECR = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
    private static final String DECLARED = "ecr-proxy.internal:5000";
    private static final String LOCAL = "127.0.0.1:5502";
    private static final String ECR_PASSWORD = "eyJwYXlsb2FkIjoiZWNyLXRva2VuLXNlY3JldCJ9";
    private static final String LOCAL_PASSWORD = "settings-xml-Secret!";
    private static final RepositorySettings SETTINGS = new RepositorySettings(true, true, 30, "buildcache", false);

    @TempDir
    Path user;

    @TempDir
    Path parent;

    private final FakeEcrApi api = new FakeEcrApi();
    private final RecordingBuildLog log = new RecordingBuildLog();
    private final List<String> serverLookups = new ArrayList<>();
    private final List<String> allSecrets = new ArrayList<>(List.of(ECR_PASSWORD, LOCAL_PASSWORD));
    private final Function<String, Optional<RegistryCredential>> servers = host -> {
        serverLookups.add(host);
        return host.equals(LOCAL) || host.equals(ECR)
                ? Optional.of(new RegistryCredential(host, "ci", LOCAL_PASSWORD))
                : Optional.empty();
    };

    RegistryLoginTest() {
        api.password = ECR_PASSWORD;
        allSecrets.add(auth("AWS", ECR_PASSWORD));
        allSecrets.add(auth("ci", LOCAL_PASSWORD));
    }

    private static String auth(String user, String password) {
        return Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private RegistryLogin login(boolean ecrLogin) {
        return new RegistryLogin(
                api,
                new TokenCache(),
                ecrLogin,
                List.of(new EcrRegistry(DECLARED, "210987654321", "eu-central-1")),
                servers,
                log);
    }

    private RegistryLogin.Session open(RegistryLogin login, String... hosts) throws LayercacheException {
        return login.open(List.of(hosts), new DockerConfigLocation(user, null, parent));
    }

    private static Path dockerConfig(RegistryLogin.Session session) {
        assertThat(session.docker().variables()).containsKey("DOCKER_CONFIG");
        return Path.of(session.docker().variables().get("DOCKER_CONFIG"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> auths(RegistryLogin.Session session) throws IOException {
        Map<String, Object> json =
                JsonMaps.parse(Files.readString(dockerConfig(session).resolve("config.json"), StandardCharsets.UTF_8));
        return (Map<String, Object>) json.get("auths");
    }

    private List<Path> parentEntries() throws IOException {
        try (Stream<Path> entries = Files.list(parent)) {
            return entries.toList();
        }
    }

    @AfterEach
    void noSecretEverReachesTheLog() {
        for (String line : log.lines()) {
            for (String secret : allSecrets) {
                assertThat(line).as("log line").doesNotContain(secret);
            }
        }
    }

    @Test
    void anEcrHostIsLoggedInToWithAnEcrToken() throws Exception {
        RegistryLogin login = login(true);

        try (RegistryLogin.Session session = open(login, ECR)) {
            assertThat(api.tokenCalls()).isEqualTo(1);
            assertThat(api.tokenRegistries()).containsExactly(new EcrRegistry(ECR, "123456789012", "eu-west-1"));
            assertThat(auths(session)).containsOnlyKeys(ECR);
            assertThat(auths(session).get(ECR)).isEqualTo(Map.of("auth", auth("AWS", ECR_PASSWORD)));
            assertThat(dockerConfig(session).getParent()).isEqualTo(parent);
            assertThat(session.docker().variables())
                    .containsEntry("BUILDX_CONFIG", user.resolve("buildx").toString());
        }
        assertThat(serverLookups).isEmpty();
        assertThat(log.lines()).anySatisfy(line -> assertThat(line).startsWith("DEBUG ECR login for " + ECR));
    }

    @Test
    void theTokenIsSharedBetweenSessionsOfOneLogin() throws Exception {
        RegistryLogin login = login(true);

        try (RegistryLogin.Session one = open(login, ECR, ECR);
                RegistryLogin.Session two = open(login, ECR)) {
            assertThat(auths(one)).isEqualTo(auths(two));
        }
        assertThat(api.tokenCalls()).isEqualTo(1);
    }

    @Test
    void aDeclaredHostIsLoggedInToWithAnEcrTokenForItsAccountAndRegion() throws Exception {
        try (RegistryLogin.Session session = open(login(true), DECLARED)) {
            assertThat(api.tokenRegistries())
                    .containsExactly(new EcrRegistry(DECLARED, "210987654321", "eu-central-1"));
            assertThat(auths(session)).containsOnlyKeys(DECLARED);
            assertThat(auths(session).get(DECLARED)).isEqualTo(Map.of("auth", auth("AWS", ECR_PASSWORD)));
        }
        assertThat(serverLookups).isEmpty();
    }

    @Test
    void anotherHostUsesTheServerCredentials() throws Exception {
        try (RegistryLogin.Session session = open(login(true), LOCAL)) {
            assertThat(api.tokenCalls()).isZero();
            assertThat(serverLookups).containsExactly(LOCAL);
            assertThat(auths(session)).containsOnlyKeys(LOCAL);
            assertThat(auths(session).get(LOCAL)).isEqualTo(Map.of("auth", auth("ci", LOCAL_PASSWORD)));
        }
    }

    @Test
    void unknownHostsContributeNothing() throws Exception {
        try (RegistryLogin.Session session = open(login(true), "docker.io", LOCAL, "ghcr.io")) {
            assertThat(auths(session)).containsOnlyKeys(LOCAL);
            assertThat(serverLookups).containsExactly("docker.io", LOCAL, "ghcr.io");
        }
    }

    @Test
    void withoutAnyCredentialsThereIsNoPrivateConfig() throws Exception {
        try (RegistryLogin.Session session = open(login(true), "docker.io", "ghcr.io")) {
            assertThat(session.docker().variables()).isEmpty();
            assertThat(session.docker().masked()).isEmpty();
            assertThat(parentEntries()).isEmpty();
        }
        try (RegistryLogin.Session session = open(login(true))) {
            assertThat(session.docker().variables()).isEmpty();
        }
        assertThat(parentEntries()).isEmpty();
        assertThat(api.tokenCalls()).isZero();
    }

    @Test
    void secretsHoldEachPasswordAndEachAuth() throws Exception {
        try (RegistryLogin.Session session = open(login(true), ECR, LOCAL, "docker.io")) {
            assertThat(session.docker().masked())
                    .containsExactlyInAnyOrder(
                            ECR_PASSWORD, auth("AWS", ECR_PASSWORD), LOCAL_PASSWORD, auth("ci", LOCAL_PASSWORD));
            assertThat(auths(session)).containsOnlyKeys(ECR, LOCAL);
        }
    }

    @Test
    void closingTheSessionDeletesTheDirectory() throws Exception {
        RegistryLogin.Session session = open(login(true), ECR, LOCAL);
        Path directory = dockerConfig(session);
        assertThat(directory.resolve("config.json")).exists();

        session.close();

        assertThat(directory).doesNotExist();
        assertThat(parentEntries()).isEmpty();
    }

    @Test
    void withEcrLoginOffEcrHostsFallBackToServerCredentials() throws Exception {
        RegistryLogin login = login(false);

        assertThat(login.ecrRegistry(ECR)).isEmpty();
        assertThat(login.ecrRegistry(DECLARED)).isEmpty();
        try (RegistryLogin.Session session = open(login, ECR, DECLARED)) {
            assertThat(api.tokenCalls()).isZero();
            assertThat(serverLookups).containsExactly(ECR, DECLARED);
            assertThat(auths(session)).containsOnlyKeys(ECR);
            assertThat(auths(session).get(ECR)).isEqualTo(Map.of("auth", auth("ci", LOCAL_PASSWORD)));
        }
        assertThat(login.ensureRepository(ECR, "app", SETTINGS)).isFalse();
        assertThat(api.ensureCalls()).isEmpty();
    }

    @Test
    void ecrRegistryPrefersTheDeclarationAndFallsBackToTheHostForm() {
        RegistryLogin login = login(true);

        assertThat(login.ecrRegistry(DECLARED)).contains(new EcrRegistry(DECLARED, "210987654321", "eu-central-1"));
        assertThat(login.ecrRegistry(ECR)).contains(new EcrRegistry(ECR, "123456789012", "eu-west-1"));
        assertThat(login.ecrRegistry("ECR-PROXY.internal:5000"))
                .contains(new EcrRegistry(DECLARED, "210987654321", "eu-central-1"));
        assertThat(login.ecrRegistry(LOCAL)).isEmpty();
    }

    @Test
    void aFailingTokenFetchFailsTheLoginAndLeavesNoDirectory() throws IOException {
        api.failure = new LayercacheException("ECR GetAuthorizationToken for " + ECR + " was denied", null);

        LayercacheException e = catchThrowableOfType(LayercacheException.class, () -> open(login(true), LOCAL, ECR));

        assertThat(e).hasMessageContaining("was denied");
        assertThat(parentEntries()).isEmpty();
    }

    @Test
    void anUnreadableUserConfigBecomesALayercacheException() throws IOException {
        Files.writeString(user.resolve("config.json"), "{oops");

        LayercacheException e = catchThrowableOfType(LayercacheException.class, () -> open(login(true), ECR));

        assertThat(e).hasMessageContaining("private docker config").hasMessageContaining("config.json");
        assertThat(e.getMessage()).doesNotContain(ECR_PASSWORD);
        assertThat(parentEntries()).isEmpty();
    }

    @Test
    void ensureRepositoryOnAnotherRegistryDoesNothing() throws LayercacheException {
        assertThat(login(true).ensureRepository(LOCAL, "team/app", SETTINGS)).isFalse();

        assertThat(api.ensureCalls()).isEmpty();
        assertThat(api.tokenCalls()).isZero();
        assertThat(log.lines()).noneMatch(line -> line.startsWith("INFO"));
    }

    @Test
    void anExistingRepositoryGetsThePolicyOnlyWhenAskedAndTheLogShowsWhatItReplaced() throws LayercacheException {
        api.created = false;
        RepositorySettings offered = new RepositorySettings(false, true, 14, "buildcache", false);
        RepositorySettings asked = new RepositorySettings(false, true, 14, "buildcache", true);
        api.policies.put("team/app", "{\"rules\":[]}");

        login(true).ensureRepository(ECR, "team/app", offered);
        assertThat(api.policies).containsEntry("team/app", "{\"rules\":[]}");

        login(true).ensureRepository(ECR, "team/app", asked);
        assertThat(api.policies).containsEntry("team/app", asked.lifecyclePolicy());
        assertThat(log.lines())
                .contains("WARN Replaced the lifecycle policy of the ECR repository team/app in " + ECR
                        + " (it was: {\"rules\":[]}) with the plugin's: " + asked.lifecyclePolicy());

        login(true).ensureRepository(ECR, "team/app", asked);
        assertThat(log.lines()).filteredOn(l -> l.startsWith("WARN")).hasSize(1);
    }

    @Test
    void ensureRepositoryOnEcrDelegatesAndReportsACreation() throws LayercacheException {
        assertThat(login(true).ensureRepository(ECR, "team/app", SETTINGS)).isTrue();

        assertThat(api.ensureCalls())
                .containsExactly(new FakeEcrApi.EnsureCall(
                        new EcrRegistry(ECR, "123456789012", "eu-west-1"), "team/app", SETTINGS));
        assertThat(log.lines())
                .contains("INFO Created the ECR repository team/app in " + ECR
                        + " (tags immutable but for the cache and fingerprint tags, scan on push on, lifecycle policy:"
                        + " branch caches and fingerprint marks expire after 30 days, untagged images after a day,"
                        + " tagged images never)");
    }

    @Test
    void ensureRepositoryOnADeclaredRegistryDelegatesWithItsAccount() throws LayercacheException {
        RepositorySettings settings = new RepositorySettings(false, false, 0, "buildcache", false);

        assertThat(login(true).ensureRepository(DECLARED, "app", settings)).isTrue();

        assertThat(api.ensureCalls())
                .extracting(FakeEcrApi.EnsureCall::registry)
                .containsExactly(new EcrRegistry(DECLARED, "210987654321", "eu-central-1"));
        assertThat(log.lines())
                .contains("INFO Created the ECR repository app in " + DECLARED + " (tags mutable, scan on push off)");
    }

    @Test
    void anExistingRepositoryIsNotReportedAsCreated() throws LayercacheException {
        api.created = false;

        assertThat(login(true).ensureRepository(ECR, "team/app", SETTINGS)).isFalse();

        assertThat(api.ensureCalls()).hasSize(1);
        assertThat(log.lines()).noneMatch(line -> line.contains("Created"));
    }
}
