package io.github.layercache.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.AuthorizationData;
import software.amazon.awssdk.services.ecr.model.EcrException;
import software.amazon.awssdk.services.ecr.model.ImageTagMutability;
import software.amazon.awssdk.services.ecr.model.LifecyclePolicyNotFoundException;
import software.amazon.awssdk.services.ecr.model.Repository;
import software.amazon.awssdk.services.ecr.model.RepositoryAlreadyExistsException;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;

@Timeout(value = 90, unit = TimeUnit.SECONDS)
class EcrEmulatorTest {

    private static final String KEY = "AKIAEMULATORTEST0001";
    private static final String ACCOUNT = "210987654321";
    private static final String POLICY = "{\"rules\":[{\"rulePriority\":1,\"selection\":{\"tagStatus\":\"any\","
            + "\"countType\":\"imageCountMoreThan\",\"countNumber\":50},\"action\":{\"type\":\"expire\"}}]}";

    // The JDK's HTTP server sends the headers and the body of a response in two writes; with Nagle's algorithm on,
    // the second waits for the client's delayed ACK, about 40 ms a request. Without it a request takes a few ms.
    // This takes effect when no HTTP server has started in this JVM yet; the child JVMs get it on the command line.
    private static final String NO_DELAY = "sun.net.httpserver.nodelay";

    static {
        System.setProperty(NO_DELAY, "true");
    }

    private static final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeResources() throws Exception {
        Collections.reverse(resources);
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    private EcrEmulator start(EcrEmulator.Builder builder) {
        EcrEmulator emulator = builder.accessKey(KEY).account(ACCOUNT).build();
        resources.add(emulator);
        return emulator;
    }

    private EcrClient client(EcrEmulator emulator, String accessKey) {
        return client(emulator, accessKey, override -> {});
    }

    private EcrClient client(
            EcrEmulator emulator, String accessKey, Consumer<ClientOverrideConfiguration.Builder> override) {
        EcrClient client = EcrClient.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(emulator.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, "secret")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(override)
                .build();
        resources.add(client);
        return client;
    }

    // ---------------------------------------------------------------------------------------------
    // Through the real AWS SDK

    @Test
    void theSdkGetsATokenThatDecodesToTheRegistryPassword() {
        EcrEmulator emulator =
                start(EcrEmulator.builder().password("s3cret-Pass").tokenTtl(Duration.ofHours(2)));

        Instant before = Instant.now();
        List<AuthorizationData> data =
                client(emulator, KEY).getAuthorizationToken().authorizationData();

        assertThat(data).hasSize(1);
        AuthorizationData token = data.get(0);
        assertThat(new String(Base64.getDecoder().decode(token.authorizationToken()), StandardCharsets.UTF_8))
                .isEqualTo("AWS:s3cret-Pass");
        assertThat(token.expiresAt())
                .isBetween(
                        before.plus(Duration.ofHours(2)).minusSeconds(5),
                        Instant.now().plus(Duration.ofHours(2)).plusSeconds(5));
        assertThat(token.proxyEndpoint()).isEqualTo("https://" + ACCOUNT + ".dkr.ecr.us-east-1.amazonaws.com");
        assertThat(emulator.calls("GetAuthorizationToken")).isEqualTo(1);
        assertThat(emulator.calls("CreateRepository")).isZero();
        assertThat(emulator.accessKeysSeen()).containsExactly(KEY);
        assertThat(emulator.regionsSeen()).containsExactly("us-east-1");
    }

    @Test
    void theTokenAlsoComesWithRegistryIdsAndIsForTheConfiguredAccount() {
        EcrEmulator emulator = start(EcrEmulator.builder().password("pw"));

        List<AuthorizationData> data = client(emulator, KEY)
                .getAuthorizationToken(r -> r.registryIds(ACCOUNT))
                .authorizationData();

        assertThat(data)
                .extracting(AuthorizationData::proxyEndpoint)
                .containsExactly("https://" + ACCOUNT + ".dkr.ecr.us-east-1.amazonaws.com");
        assertThat(emulator.password()).isEqualTo("pw");
    }

    @Test
    void theDeniedKeyIsDeniedEveryOperationWithTheOperationNamed() {
        EcrEmulator emulator = start(EcrEmulator.builder());
        EcrClient client = client(emulator, EcrEmulator.DENIED_ACCESS_KEY);

        EcrException token = catchThrowableOfType(EcrException.class, client::getAuthorizationToken);
        EcrException create =
                catchThrowableOfType(EcrException.class, () -> client.createRepository(r -> r.repositoryName("app")));

        assertThat(token.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
        assertThat(token.statusCode()).isEqualTo(400);
        assertThat(token.awsErrorDetails().errorMessage())
                .startsWith("User: arn:aws:iam::" + ACCOUNT + ":user/ci is not authorized to perform:"
                        + " ecr:GetAuthorizationToken on resource: *");
        assertThat(create.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
        assertThat(create.awsErrorDetails().errorMessage()).contains("ecr:CreateRepository");
        assertThat(emulator.repositories()).isEmpty();
        assertThat(emulator.calls("GetAuthorizationToken")).isEqualTo(1);
        assertThat(emulator.accessKeysSeen()).containsExactly(EcrEmulator.DENIED_ACCESS_KEY);
    }

    @Test
    void anUnknownKeyIsAnUnrecognizedClient() {
        EcrEmulator emulator = start(EcrEmulator.builder());

        EcrException e = catchThrowableOfType(EcrException.class, () -> client(emulator, "AKIAUNKNOWN000000000")
                .getAuthorizationToken());

        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException");
        assertThat(e.awsErrorDetails().errorMessage())
                .isEqualTo("The security token included in the request is invalid.");
        assertThat(emulator.accessKeysSeen()).containsExactly("AKIAUNKNOWN000000000");
    }

    @Test
    void throttledRequestsAreRetriedByTheSdkUntilTheBudgetIsSpent() throws Exception {
        EcrEmulator emulator = start(EcrEmulator.builder().password("pw").throttleFirst(2));
        // The SDK's own retry strategy, minus its back-off of about half a second a throttled attempt.
        EcrClient client = client(
                emulator,
                KEY,
                override -> override.retryStrategy(retry -> retry.backoffStrategy(BackoffStrategy.retryImmediately())
                        .throttlingBackoffStrategy(BackoffStrategy.retryImmediately())));

        AuthorizationData token =
                client.getAuthorizationToken().authorizationData().get(0);

        assertThat(token.authorizationToken()).isEqualTo(base64("AWS:pw"));
        assertThat(emulator.calls("GetAuthorizationToken")).isEqualTo(3);

        emulator.reset();
        assertThat(emulator.calls("GetAuthorizationToken")).isZero();
        HttpResponse<String> throttled = post(emulator, "GetAuthorizationToken", signed(KEY), "{}");
        assertThat(throttled.statusCode()).isEqualTo(400);
        assertThat(errorType(throttled)).isEqualTo("ThrottlingException");
        assertThat(JsonMaps.parse(throttled.body())).containsEntry("message", "Rate exceeded");
    }

    @Test
    void repositoriesAndLifecyclePoliciesRoundTripThroughTheSdk() {
        EcrEmulator emulator = start(EcrEmulator.builder());
        EcrClient client = client(emulator, KEY);

        Repository created = client.createRepository(r -> r.repositoryName("team/app")
                        .imageTagMutability(ImageTagMutability.IMMUTABLE)
                        .imageScanningConfiguration(s -> s.scanOnPush(true)))
                .repository();
        Repository defaults =
                client.createRepository(r -> r.repositoryName("cache")).repository();

        assertThat(created.repositoryName()).isEqualTo("team/app");
        assertThat(created.registryId()).isEqualTo(ACCOUNT);
        assertThat(created.repositoryArn()).isEqualTo("arn:aws:ecr:us-east-1:" + ACCOUNT + ":repository/team/app");
        assertThat(created.repositoryUri()).isEqualTo(ACCOUNT + ".dkr.ecr.us-east-1.amazonaws.com/team/app");
        assertThat(created.imageTagMutability()).isEqualTo(ImageTagMutability.IMMUTABLE);
        assertThat(created.imageScanningConfiguration().scanOnPush()).isTrue();
        assertThat(created.createdAt())
                .isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(1));
        assertThat(defaults.imageTagMutability()).isEqualTo(ImageTagMutability.MUTABLE);
        assertThat(defaults.imageScanningConfiguration().scanOnPush()).isFalse();

        RepositoryAlreadyExistsException again = catchThrowableOfType(
                RepositoryAlreadyExistsException.class, () -> client.createRepository(r -> r.repositoryName("cache")));
        assertThat(again.awsErrorDetails().errorCode()).isEqualTo("RepositoryAlreadyExistsException");
        EcrException badName = catchThrowableOfType(
                EcrException.class, () -> client.createRepository(r -> r.repositoryName("Bad_Name")));
        assertThat(badName.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterException");

        assertThat(client.describeRepositories(r -> r.repositoryNames("cache", "team/app"))
                        .repositories())
                .extracting(Repository::repositoryName)
                .containsExactly("cache", "team/app");
        assertThat(client.describeRepositories().repositories()).hasSize(2);
        RepositoryNotFoundException missing = catchThrowableOfType(
                RepositoryNotFoundException.class,
                () -> client.describeRepositories(r -> r.repositoryNames("cache", "nope")));
        assertThat(missing.awsErrorDetails().errorMessage()).contains("'nope'");

        LifecyclePolicyNotFoundException noPolicy = catchThrowableOfType(
                LifecyclePolicyNotFoundException.class,
                () -> client.getLifecyclePolicy(r -> r.repositoryName("cache")));
        assertThat(noPolicy.awsErrorDetails().errorCode()).isEqualTo("LifecyclePolicyNotFoundException");

        var put = client.putLifecyclePolicy(r -> r.repositoryName("cache").lifecyclePolicyText(POLICY));
        assertThat(put.registryId()).isEqualTo(ACCOUNT);
        assertThat(put.repositoryName()).isEqualTo("cache");
        assertThat(put.lifecyclePolicyText()).isEqualTo(POLICY);
        assertThat(client.getLifecyclePolicy(r -> r.repositoryName("cache")).lifecyclePolicyText())
                .isEqualTo(POLICY);
        assertThatExceptionOfType(RepositoryNotFoundException.class)
                .isThrownBy(() ->
                        client.putLifecyclePolicy(r -> r.repositoryName("nope").lifecyclePolicyText(POLICY)));
        assertThatExceptionOfType(RepositoryNotFoundException.class)
                .isThrownBy(() -> client.getLifecyclePolicy(r -> r.repositoryName("nope")));

        Map<String, Map<String, Object>> repositories = emulator.repositories();
        assertThat(repositories).containsOnlyKeys("team/app", "cache");
        assertThat(repositories.get("team/app"))
                .containsEntry("imageTagMutability", "IMMUTABLE")
                .containsEntry("scanOnPush", true)
                .containsEntry("lifecyclePolicyText", null);
        assertThat(repositories.get("cache"))
                .containsEntry("imageTagMutability", "MUTABLE")
                .containsEntry("scanOnPush", false)
                .containsEntry("lifecyclePolicyText", POLICY);
        assertThat(emulator.calls("CreateRepository")).isEqualTo(4);
        assertThat(emulator.calls("PutLifecyclePolicy")).isEqualTo(2);
        assertThat(emulator.calls("GetLifecyclePolicy")).isEqualTo(3);

        emulator.reset();
        assertThat(emulator.repositories()).isEmpty();
        assertThat(emulator.accessKeysSeen()).isEmpty();
        assertThat(emulator.regionsSeen()).isEmpty();
    }

    // ---------------------------------------------------------------------------------------------
    // Raw HTTP: protocol checks and admin endpoints

    @Test
    void requestsWithoutTargetContentTypeOrSignatureAreRejected() throws Exception {
        EcrEmulator emulator = start(EcrEmulator.builder());

        HttpResponse<String> noTarget = post(emulator, null, signed(KEY), "{}");
        assertThat(noTarget.statusCode()).isEqualTo(400);
        assertThat(errorType(noTarget)).isEqualTo("UnknownOperationException");
        assertThat(noTarget.headers().firstValue("x-amzn-ErrorType")).hasValue("UnknownOperationException");

        HttpResponse<String> unknown = post(emulator, "DeleteRepository", signed(KEY), "{}");
        assertThat(errorType(unknown)).isEqualTo("UnknownOperationException");
        assertThat(emulator.calls("DeleteRepository")).isEqualTo(1);

        HttpResponse<String> unsigned = post(emulator, "GetAuthorizationToken", null, "{}");
        assertThat(unsigned.statusCode()).isEqualTo(400);
        assertThat(errorType(unsigned)).isEqualTo("IncompleteSignatureException");

        HttpResponse<String> basic = post(emulator, "GetAuthorizationToken", "Basic QVdTOng=", "{}");
        assertThat(errorType(basic)).isEqualTo("IncompleteSignatureException");

        String noSignature = "AWS4-HMAC-SHA256 Credential=" + KEY
                + "/20260101/us-east-1/ecr/aws4_request, SignedHeaders=host;x-amz-date";
        assertThat(errorType(post(emulator, "GetAuthorizationToken", noSignature, "{}")))
                .isEqualTo("IncompleteSignatureException");

        String badDate = signed(KEY).replace("/20260101/", "/2026-01-01/");
        assertThat(errorType(post(emulator, "GetAuthorizationToken", badDate, "{}")))
                .isEqualTo("InvalidSignatureException");

        String s3Scope = signed(KEY).replace("/ecr/", "/s3/");
        assertThat(errorType(post(emulator, "GetAuthorizationToken", s3Scope, "{}")))
                .isEqualTo("InvalidSignatureException");

        HttpResponse<String> plainJson = send(
                emulator,
                HttpRequest.newBuilder(emulator.endpoint())
                        .header("X-Amz-Target", EcrEmulator.TARGET_PREFIX + "GetAuthorizationToken")
                        .header("Content-Type", "application/json")
                        .header("X-Amz-Date", "20260101T000000Z")
                        .header("Authorization", signed(KEY))
                        .POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(errorType(plainJson)).isEqualTo("SerializationException");

        assertThat(emulator.calls("GetAuthorizationToken")).isEqualTo(6);
        assertThat(emulator.accessKeysSeen()).isEmpty();
        assertThat(emulator.regionsSeen()).isEmpty();

        HttpResponse<String> notJson = post(emulator, "CreateRepository", signed(KEY), "repositoryName=x");
        assertThat(errorType(notJson)).isEqualTo("SerializationException");
        assertThat(emulator.accessKeysSeen()).containsExactly(KEY);
        assertThat(emulator.regionsSeen()).containsExactly("us-east-1");

        HttpResponse<String> ok =
                post(emulator, "GetAuthorizationToken", signed(KEY).replace("us-east-1", "eu-west-1"), "");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue("Content-Type")).hasValue(EcrEmulator.CONTENT_TYPE);
        assertThat(ok.body()).contains("https://" + ACCOUNT + ".dkr.ecr.eu-west-1.amazonaws.com");
        assertThat(emulator.regionsSeen()).containsExactly("us-east-1", "eu-west-1");
    }

    @Test
    void adminEndpointsReportCountsRepositoriesAndReset() throws Exception {
        EcrEmulator emulator = start(EcrEmulator.builder());
        EcrClient client = client(emulator, KEY);
        client.getAuthorizationToken();
        client.createRepository(r -> r.repositoryName("app"));
        client.putLifecyclePolicy(r -> r.repositoryName("app").lifecyclePolicyText(POLICY));

        HttpResponse<String> calls = get(emulator, "/__calls");
        assertThat(calls.statusCode()).isEqualTo(200);
        Map<String, Object> counts = JsonMaps.parse(calls.body());
        assertThat(counts.keySet()).containsSubsequence(EcrEmulator.OPERATIONS).contains("accessKeys", "regions");
        assertThat(number(counts.get("GetAuthorizationToken"))).isEqualTo(1);
        assertThat(number(counts.get("CreateRepository"))).isEqualTo(1);
        assertThat(number(counts.get("PutLifecyclePolicy"))).isEqualTo(1);
        assertThat(number(counts.get("DescribeRepositories"))).isZero();
        assertThat(counts.get("accessKeys")).isEqualTo(List.of(KEY));
        assertThat(counts.get("regions")).isEqualTo(List.of("us-east-1"));

        Map<String, Object> repositories =
                JsonMaps.parse(get(emulator, "/__repositories").body());
        assertThat(repositories).containsOnlyKeys("app");
        @SuppressWarnings("unchecked")
        Map<String, Object> app = (Map<String, Object>) repositories.get("app");
        assertThat(app)
                .containsEntry("imageTagMutability", "MUTABLE")
                .containsEntry("scanOnPush", false)
                .containsEntry("lifecyclePolicyText", POLICY);

        assertThat(get(emulator, "/__reset").statusCode()).isEqualTo(405);
        HttpResponse<String> reset = send(
                emulator,
                HttpRequest.newBuilder(emulator.endpoint().resolve("/__reset"))
                        .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(reset.statusCode()).isEqualTo(200);
        assertThat(emulator.calls("GetAuthorizationToken")).isZero();
        assertThat(emulator.repositories()).isEmpty();
        Map<String, Object> after = JsonMaps.parse(get(emulator, "/__calls").body());
        assertThat(number(after.get("GetAuthorizationToken"))).isZero();
        assertThat(after.get("accessKeys")).isEqualTo(List.of());
        assertThat(JsonMaps.parse(get(emulator, "/__repositories").body())).isEmpty();
        assertThat(get(emulator, "/elsewhere").statusCode()).isEqualTo(404);
    }

    @Test
    void containerCredentialsAreTheAccessKeyAsTheSdkReadsThem() throws Exception {
        EcrEmulator emulator = start(EcrEmulator.builder());
        URI uri = emulator.endpoint().resolve("/__container-credentials");

        String previous = System.setProperty("aws.containerCredentialsFullUri", uri.toString());
        try (ContainerCredentialsProvider provider =
                ContainerCredentialsProvider.builder().build()) {
            // What the SDK does with AWS_CONTAINER_CREDENTIALS_FULL_URI, as in CodeBuild.
            AwsSessionCredentials credentials = (AwsSessionCredentials) provider.resolveCredentials();
            assertThat(credentials.accessKeyId()).isEqualTo(KEY);
            assertThat(credentials.secretAccessKey()).isNotEmpty();
            assertThat(credentials.sessionToken()).isNotEmpty();
            assertThat(credentials.expirationTime())
                    .hasValueSatisfying(expiry -> assertThat(expiry).isAfter(Instant.now()));
        } finally {
            if (previous == null) {
                System.clearProperty("aws.containerCredentialsFullUri");
            } else {
                System.setProperty("aws.containerCredentialsFullUri", previous);
            }
        }

        assertThat(emulator.calls("ContainerCredentials")).isEqualTo(1);
        assertThat(number(JsonMaps.parse(get(emulator, "/__calls").body()).get("ContainerCredentials")))
                .isEqualTo(1);
        assertThat(send(emulator, HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody()))
                        .statusCode())
                .isEqualTo(405);
    }

    @Test
    void listensOnLoopbackOnly() throws Exception {
        EcrEmulator emulator = start(EcrEmulator.builder());
        int port = emulator.endpoint().getPort();

        assertThat(emulator.endpoint().getScheme()).isEqualTo("http");
        assertThat(emulator.endpoint().getHost()).isEqualTo("127.0.0.1");
        assertThat(port).isPositive();
        try (Socket loopback = new Socket()) {
            loopback.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 2000);
        }
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress(address, port), 2000);
                        throw new AssertionError("the emulator answers on " + address.getHostAddress());
                    } catch (IOException expected) {
                        // refused: good
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Child JVMs: the standalone main, and the SDK's own configuration from the environment

    @Test
    void mainServesInAChildJvmAndNeverPrintsThePassword(@TempDir Path dir) throws Exception {
        Path passwordFile = dir.resolve("password");
        Files.writeString(passwordFile, "pw-from-file-7Q\n");
        Process child = java(List.of(
                        EcrEmulator.class.getName(),
                        "--port",
                        "0",
                        "--password-file",
                        passwordFile.toString(),
                        "--access-key",
                        KEY,
                        "--account",
                        ACCOUNT,
                        "--token-ttl-seconds",
                        "600"))
                .redirectOutput(dir.resolve("stdout").toFile())
                .redirectError(dir.resolve("stderr").toFile())
                .start();
        try {
            String line = firstLine(dir.resolve("stdout"), child);
            Matcher listening = Pattern.compile("ecr-emulator listening on (http://127\\.0\\.0\\.1:(\\d+))")
                    .matcher(String.valueOf(line));
            assertThat(listening.matches()).as("first line: %s", line).isTrue();
            URI endpoint = URI.create(listening.group(1));

            HttpResponse<String> calls = http.send(
                    HttpRequest.newBuilder(endpoint.resolve("/__calls")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(calls.statusCode()).isEqualTo(200);
            assertThat(number(JsonMaps.parse(calls.body()).get("GetAuthorizationToken")))
                    .isZero();

            try (EcrClient client = EcrClient.builder()
                    .region(Region.EU_CENTRAL_1)
                    .endpointOverride(endpoint)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY, "secret")))
                    .httpClientBuilder(UrlConnectionHttpClient.builder())
                    .build()) {
                AuthorizationData token =
                        client.getAuthorizationToken().authorizationData().get(0);
                assertThat(token.authorizationToken()).isEqualTo(base64("AWS:pw-from-file-7Q"));
                assertThat(token.proxyEndpoint())
                        .isEqualTo("https://" + ACCOUNT + ".dkr.ecr.eu-central-1.amazonaws.com");
                assertThat(token.expiresAt()).isBefore(Instant.now().plusSeconds(605));
            }
            Map<String, Object> after = JsonMaps.parse(http.send(
                            HttpRequest.newBuilder(endpoint.resolve("/__calls")).build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body());
            assertThat(number(after.get("GetAuthorizationToken"))).isEqualTo(1);
            assertThat(after.get("regions")).isEqualTo(List.of("eu-central-1"));
        } finally {
            child.destroy();
            if (!child.waitFor(20, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        }
        String output = Files.readString(dir.resolve("stdout")) + Files.readString(dir.resolve("stderr"));
        assertThat(output)
                .startsWith("ecr-emulator listening on http://127.0.0.1:")
                .doesNotContain("pw-from-file-7Q");
    }

    @Test
    void mainRefusesBadArgumentsWithUsage() throws Exception {
        Process child =
                java(List.of(EcrEmulator.class.getName(), "--port", "0")).start();
        try {
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).isEqualTo(2);
            assertThat(new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                    .contains("--password-file is required")
                    .contains("usage:");
        } finally {
            child.destroyForcibly();
        }
    }

    /**
     * The plugin uses {@code EcrClient.create()}-style defaults: credentials, region and endpoint from
     * the environment. This checks that SDK 2.42 honours {@code AWS_ENDPOINT_URL_ECR}, so tests can point
     * unmodified plugin code at the emulator.
     */
    @Test
    void theSdkDefaultsFollowAwsEndpointUrlEcrToTheEmulator(@TempDir Path dir) throws Exception {
        EcrEmulator emulator = start(EcrEmulator.builder().password("env-pw"));
        ProcessBuilder builder = java(List.of(DefaultChainProbe.class.getName()));
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("AWS_"));
        env.put("AWS_ENDPOINT_URL_ECR", emulator.endpoint().toString());
        env.put("AWS_ACCESS_KEY_ID", KEY);
        env.put("AWS_SECRET_ACCESS_KEY", "secret");
        env.put("AWS_REGION", "eu-west-1");
        env.put("AWS_CONFIG_FILE", dir.resolve("no-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("no-credentials").toString());
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        builder.redirectErrorStream(true);

        Process child = builder.start();
        String output;
        try {
            output = CompletableFuture.supplyAsync(() -> readAll(child)).get(60, TimeUnit.SECONDS);
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }

        assertThat(child.exitValue()).as(output).isZero();
        assertThat(output)
                .contains("token=" + base64("AWS:env-pw"))
                .contains("proxyEndpoint=https://" + ACCOUNT + ".dkr.ecr.eu-west-1.amazonaws.com");
        assertThat(emulator.calls("GetAuthorizationToken")).isEqualTo(1);
        assertThat(emulator.accessKeysSeen()).containsExactly(KEY);
        assertThat(emulator.regionsSeen()).containsExactly("eu-west-1");
    }

    /** Runs in a child JVM: an ECR client configured only by the environment. */
    public static final class DefaultChainProbe {
        public static void main(String[] args) {
            try (EcrClient client = EcrClient.create()) {
                AuthorizationData data =
                        client.getAuthorizationToken().authorizationData().get(0);
                System.out.println("token=" + data.authorizationToken());
                System.out.println("proxyEndpoint=" + data.proxyEndpoint());
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // helpers

    private static ProcessBuilder java(List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // A short-lived JVM starts faster with the quick compiler only and the simplest collector.
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-XX:+UseSerialGC");
        command.add("-D" + NO_DELAY + "=true");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.addAll(arguments);
        return new ProcessBuilder(command);
    }

    /** Waits for the child to write its first line to the file. */
    private static String firstLine(Path file, Process child) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            String text = Files.readString(file);
            int end = text.indexOf('\n');
            if (end >= 0) {
                return text.substring(0, end);
            }
            if (!child.isAlive()) {
                throw new AssertionError("the child exited with " + child.exitValue() + ", output: " + text);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no line from the child within 30 s");
    }

    private static String readAll(Process process) {
        try {
            return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String signed(String accessKey) {
        return "AWS4-HMAC-SHA256 Credential=" + accessKey + "/20260101/us-east-1/ecr/aws4_request,"
                + " SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=" + "0123456789abcdef".repeat(4);
    }

    private HttpResponse<String> post(EcrEmulator emulator, String operation, String authorization, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(emulator.endpoint())
                .header("Content-Type", EcrEmulator.CONTENT_TYPE)
                .header("X-Amz-Date", "20260101T000000Z")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (operation != null) {
            request.header("X-Amz-Target", EcrEmulator.TARGET_PREFIX + operation);
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(emulator, request);
    }

    private HttpResponse<String> get(EcrEmulator emulator, String path) throws Exception {
        return send(
                emulator,
                HttpRequest.newBuilder(emulator.endpoint().resolve(path)).GET());
    }

    private HttpResponse<String> send(EcrEmulator emulator, HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String errorType(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        Object type = JsonMaps.parse(response.body()).get("__type");
        assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue(String.valueOf(type));
        return (String) type;
    }

    private static int number(Object value) {
        return ((Number) value).intValue();
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
