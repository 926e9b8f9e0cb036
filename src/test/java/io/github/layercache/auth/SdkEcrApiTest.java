package io.github.layercache.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.github.layercache.core.LayercacheException;
import io.github.layercache.testing.EcrEmulator;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;

/**
 * {@link SdkEcrApi} through the real AWS SDK against the {@link EcrEmulator}. The SDK finds the
 * credentials and the endpoint the way it does in a build: the default credentials chain reads the
 * {@code aws.accessKeyId} / {@code aws.secretAccessKey} system properties, and the ECR client reads
 * its standard endpoint override from the {@code aws.endpointUrlEcr} system property (the in-process
 * twin of {@code AWS_ENDPOINT_URL_ECR}). Instance metadata is disabled and the shared config files
 * point to nothing, so no request leaves 127.0.0.1.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SdkEcrApiTest {

    private static final String KEY = "AKIDSDKECRAPITEST001";
    private static final String HOST = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
    private static final EcrRegistry REGISTRY = new EcrRegistry(HOST, "123456789012", "eu-west-1");
    private static final String ENDPOINT_PROPERTY = "aws.endpointUrlEcr";
    private static final List<String> PROPERTIES = List.of(
            "aws.accessKeyId",
            "aws.secretAccessKey",
            "aws.sessionToken",
            "aws.profile",
            "aws.region",
            "aws.endpointUrl",
            ENDPOINT_PROPERTY,
            "aws.disableEc2Metadata",
            "aws.configFile",
            "aws.sharedCredentialsFile");

    @TempDir
    Path home;

    private final Map<String, String> saved = new HashMap<>();
    private EcrEmulator emulator;

    @BeforeEach
    void isolateTheSdk() {
        for (String property : PROPERTIES) {
            saved.put(property, System.getProperty(property));
            System.clearProperty(property);
        }
        System.setProperty("aws.disableEc2Metadata", "true");
        System.setProperty("aws.configFile", home.resolve("no-config").toString());
        System.setProperty(
                "aws.sharedCredentialsFile", home.resolve("no-credentials").toString());
    }

    @AfterEach
    void restore() {
        if (emulator != null) {
            emulator.close();
        }
        saved.forEach((property, value) -> {
            if (value == null) {
                System.clearProperty(property);
            } else {
                System.setProperty(property, value);
            }
        });
    }

    private EcrEmulator start(EcrEmulator.Builder builder) {
        emulator = builder.accessKey(KEY).build();
        useEndpoint(emulator.endpoint());
        credentials(KEY);
        return emulator;
    }

    private static void credentials(String accessKey) {
        System.setProperty("aws.accessKeyId", accessKey);
        System.setProperty("aws.secretAccessKey", "test-secret-key");
    }

    /** Points the ECR client at the endpoint, and checks that the SDK takes it before anything is sent. */
    private static void useEndpoint(URI endpoint) {
        System.setProperty(ENDPOINT_PROPERTY, endpoint.toString());
        try (EcrClient probe = EcrClient.builder()
                .region(Region.EU_WEST_1)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build()) {
            assertThat(probe.serviceClientConfiguration().endpointOverride())
                    .as("the SDK's endpoint override from " + ENDPOINT_PROPERTY)
                    .contains(endpoint);
        }
    }

    private int requests() {
        return EcrEmulator.OPERATIONS.stream().mapToInt(emulator::calls).sum();
    }

    @Test
    void theTokenIsUserAwsWithTheRegistryPasswordAndExpiry() throws LayercacheException {
        start(EcrEmulator.builder().password("emulator-Pass:1").tokenTtl(Duration.ofHours(2)));
        Instant before = Instant.now();

        EcrToken token = new SdkEcrApi(null, null).authorizationToken(REGISTRY);

        assertThat(token.registry()).isEqualTo(REGISTRY);
        assertThat(token.username()).isEqualTo("AWS");
        assertThat(token.password()).isEqualTo("emulator-Pass:1");
        assertThat(token.expiresAt())
                .isBetween(
                        before.plus(Duration.ofHours(2)).minusSeconds(5),
                        Instant.now().plus(Duration.ofHours(2)).plusSeconds(5));
        assertThat(emulator.calls("GetAuthorizationToken")).isEqualTo(1);
        assertThat(emulator.accessKeysSeen()).containsExactly(KEY);
        assertThat(emulator.regionsSeen()).containsExactly("eu-west-1");
    }

    @Test
    void aRegionOverrideIsUsedForTheCalls() throws LayercacheException {
        start(EcrEmulator.builder().password("pw"));

        new SdkEcrApi(null, "us-east-2").authorizationToken(REGISTRY);

        assertThat(emulator.regionsSeen()).containsExactly("us-east-2");
    }

    @Test
    void aDeniedCallSaysWhichActionToAllow() {
        start(EcrEmulator.builder());
        credentials(EcrEmulator.DENIED_ACCESS_KEY);

        LayercacheException e = catchThrowableOfType(
                LayercacheException.class, () -> new SdkEcrApi(null, null).authorizationToken(REGISTRY));

        assertThat(e).isNotNull();
        assertThat(e.getMessage())
                .contains("was denied")
                .contains("ecr:GetAuthorizationToken")
                .contains(HOST);
        assertThat(emulator.accessKeysSeen()).containsExactly(EcrEmulator.DENIED_ACCESS_KEY);
    }

    @Test
    void aDeniedRepositoryCheckNamesItsAction() {
        start(EcrEmulator.builder());
        credentials(EcrEmulator.DENIED_ACCESS_KEY);

        LayercacheException e = catchThrowableOfType(LayercacheException.class, () -> new SdkEcrApi(null, null)
                .ensureRepository(REGISTRY, "app", new RepositorySettings(true, true, 5, "buildcache", false)));

        assertThat(e.getMessage()).contains("was denied").contains("ecr:DescribeRepositories");
        assertThat(emulator.calls("CreateRepository")).isZero();
    }

    @Test
    void unknownCredentialsPointAtTheProfile() {
        start(EcrEmulator.builder());
        credentials("AKIDUNKNOWN000000000");

        LayercacheException e = catchThrowableOfType(
                LayercacheException.class, () -> new SdkEcrApi(null, null).authorizationToken(REGISTRY));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("did not accept the credentials").contains("UnrecognizedClientException");
        assertThat(e.parameter()).contains("awsProfile");
        assertThat(e.getMessage()).doesNotContain("test-secret-key");
    }

    @Test
    void anUnreachableEndpointSaysSo() {
        useEndpoint(URI.create("http://127.0.0.1:1"));
        credentials(KEY);

        LayercacheException e = catchThrowableOfType(
                LayercacheException.class, () -> new SdkEcrApi(null, null).authorizationToken(REGISTRY));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("cannot reach the ECR API").contains(HOST);
    }

    @Test
    void noCredentialsAnywhereListsWhereTheChainLooked() {
        assumeThat(System.getenv())
                .as("this test needs an environment without AWS credentials")
                .doesNotContainKeys(
                        "AWS_ACCESS_KEY_ID",
                        "AWS_SECRET_ACCESS_KEY",
                        "AWS_WEB_IDENTITY_TOKEN_FILE",
                        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                        "AWS_CONTAINER_CREDENTIALS_FULL_URI");
        start(EcrEmulator.builder());
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");

        LayercacheException e = catchThrowableOfType(
                LayercacheException.class, () -> new SdkEcrApi(null, null).authorizationToken(REGISTRY));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("No AWS credentials").contains("AWS_ACCESS_KEY_ID");
        assertThat(e.parameter()).contains("awsProfile");
        assertThat(requests()).isZero();
    }

    @Test
    void throttledCallsAreRetriedBySdk() throws LayercacheException {
        start(EcrEmulator.builder().password("after-throttling").throttleFirst(2));

        EcrToken token = new SdkEcrApi(null, null).authorizationToken(REGISTRY);

        assertThat(token.password()).isEqualTo("after-throttling");
        assertThat(emulator.calls("GetAuthorizationToken")).isEqualTo(3);
    }

    @Test
    void ensureRepositoryCreatesItWithItsSettingsOnceThenFindsIt() throws LayercacheException {
        start(EcrEmulator.builder());
        RepositorySettings settings = new RepositorySettings(true, true, 25, "buildcache", false);
        SdkEcrApi api = new SdkEcrApi(null, null);

        assertThat(api.ensureRepository(REGISTRY, "team/app", settings)).isTrue();
        assertThat(api.ensureRepository(REGISTRY, "team/app", settings)).isFalse();

        assertThat(emulator.repositories()).containsOnlyKeys("team/app");
        Map<String, Object> repository = emulator.repositories().get("team/app");
        assertThat(repository)
                .containsEntry("imageTagMutability", "IMMUTABLE_WITH_EXCLUSION")
                .containsEntry("scanOnPush", true)
                .containsEntry("lifecyclePolicyText", settings.lifecyclePolicy());
        assertThat(settings.lifecyclePolicy()).contains("\"countNumber\":25");
        assertThat(emulator.calls("DescribeRepositories")).isEqualTo(2);
        assertThat(emulator.calls("CreateRepository")).isEqualTo(1);
        assertThat(emulator.calls("PutLifecyclePolicy")).isEqualTo(1);
    }

    @Test
    void replacingThePolicyOfAnExistingRepositoryReturnsTheOldOne() throws LayercacheException {
        start(EcrEmulator.builder());
        SdkEcrApi api = new SdkEcrApi(null, null);
        api.ensureRepository(REGISTRY, "existing", new RepositorySettings(false, false, 0, "buildcache", false));
        String policy = new RepositorySettings(false, false, 14, "buildcache", true).lifecyclePolicy();

        assertThat(api.replaceLifecyclePolicy(REGISTRY, "existing", policy)).isEmpty();
        assertThat(emulator.repositories().get("existing")).containsEntry("lifecyclePolicyText", policy);
        assertThat(api.replaceLifecyclePolicy(REGISTRY, "existing", policy)).contains(policy);
        assertThat(emulator.calls("PutLifecyclePolicy")).isEqualTo(1);
    }

    @Test
    void withoutExpireDaysThereIsNoLifecyclePolicy() throws LayercacheException {
        start(EcrEmulator.builder());

        assertThat(new SdkEcrApi(null, null)
                        .ensureRepository(
                                REGISTRY, "plain", new RepositorySettings(false, false, 0, "buildcache", false)))
                .isTrue();

        assertThat(emulator.repositories().get("plain"))
                .containsEntry("imageTagMutability", "MUTABLE")
                .containsEntry("scanOnPush", false)
                .containsEntry("lifecyclePolicyText", null);
        assertThat(emulator.calls("PutLifecyclePolicy")).isZero();
    }

    @Test
    void anExistingRepositoryIsLeftAlone() throws LayercacheException {
        start(EcrEmulator.builder());
        SdkEcrApi api = new SdkEcrApi(null, null);
        api.ensureRepository(REGISTRY, "existing", new RepositorySettings(false, false, 0, "buildcache", false));

        assertThat(api.ensureRepository(
                        REGISTRY, "existing", new RepositorySettings(true, true, 10, "buildcache", false)))
                .isFalse();

        assertThat(emulator.repositories().get("existing"))
                .containsEntry("imageTagMutability", "MUTABLE")
                .containsEntry("lifecyclePolicyText", null);
        assertThat(emulator.calls("CreateRepository")).isEqualTo(1);
    }

    @Test
    void anInvalidRepositoryNameIsReportedWithTheEcrError() {
        start(EcrEmulator.builder());

        LayercacheException e = catchThrowableOfType(LayercacheException.class, () -> new SdkEcrApi(null, null)
                .ensureRepository(REGISTRY, "Bad_Name", new RepositorySettings(false, false, 0, "buildcache", false)));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("CreateRepository").contains("InvalidParameterException");
    }

    @Test
    void anUnknownRegionInTheHostFailsBeforeAnyRequest() {
        start(EcrEmulator.builder());
        EcrRegistry registry = new EcrRegistry("h", "123456789012", "xx-nowhere-9");

        LayercacheException token = catchThrowableOfType(
                LayercacheException.class, () -> new SdkEcrApi(null, null).authorizationToken(registry));
        LayercacheException repository = catchThrowableOfType(LayercacheException.class, () -> new SdkEcrApi(null, null)
                .ensureRepository(registry, "app", new RepositorySettings(false, false, 0, "buildcache", false)));

        for (LayercacheException e : List.of(token, repository)) {
            assertThat(e).isNotNull();
            assertThat(e.parameter()).contains("awsRegion");
            assertThat(e.getMessage()).contains("xx-nowhere-9").contains("h");
        }
        assertThat(requests()).isZero();
        assertThat(emulator.accessKeysSeen()).isEmpty();
    }

    @Test
    void aRegionOverrideIsTakenAsGivenEvenForAnOddHostRegion() throws LayercacheException {
        start(EcrEmulator.builder().password("pw"));
        EcrRegistry registry = new EcrRegistry("h", "123456789012", "xx-nowhere-9");

        assertThat(new SdkEcrApi(null, "eu-west-1").authorizationToken(registry).password())
                .isEqualTo("pw");
        assertThat(emulator.regionsSeen()).containsExactly("eu-west-1");
    }
}
