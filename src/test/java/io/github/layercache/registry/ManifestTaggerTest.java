package io.github.layercache.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.layercache.core.LayercacheException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The tagger against a small registry on loopback: the manifest's bytes, and the two ways to authenticate. */
class ManifestTaggerTest {

    // Formatted the way BuildKit writes it; any re-serialisation would change the digest.
    private static final byte[] MANIFEST = ("{\n  \"schemaVersion\": 2,\n  \"mediaType\":"
                    + " \"application/vnd.oci.image.manifest.v1+json\",\n  \"config\": {}\n}")
            .getBytes(StandardCharsets.UTF_8);
    private static final String TYPE = "application/vnd.oci.image.manifest.v1+json";
    private static final String DIGEST = digest(MANIFEST);

    private HttpServer server;
    private String host;
    private final Map<String, byte[]> manifests = new ConcurrentHashMap<>();
    private final Map<String, String> types = new ConcurrentHashMap<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    /** Blob storage apart from the registry, as ECR's S3: the blobs, and the Authorization each request carried. */
    private final Map<String, byte[]> stored = new ConcurrentHashMap<>();

    private final List<String> storageAuthorizations = new CopyOnWriteArrayList<>();
    /** "none", "basic" or "bearer": how the registry wants to be spoken to. */
    private volatile String scheme = "none";

    @BeforeEach
    void startRegistry() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v2/", this::registry);
        server.createContext("/token", this::tokenService);
        server.createContext("/storage/", this::storage);
        server.start();
        host = "127.0.0.1:" + server.getAddress().getPort();
        manifests.put(DIGEST, MANIFEST);
        types.put(DIGEST, TYPE);
    }

    @AfterEach
    void stopRegistry() {
        server.stop(0);
    }

    @Test
    void theTagNamesTheSameBytesAndSoTheSameDigest() throws Exception {
        tagger(Optional.empty()).tag(ImageReference.parse(host + "/team/app", "image"), DIGEST, "1.0.0");

        assertThat(manifests.get("1.0.0")).isEqualTo(MANIFEST);
        assertThat(types.get("1.0.0")).isEqualTo(TYPE);
    }

    @Test
    void anArtifactsBlobServedFromStorageElsewhereIsReadWithoutTheRegistrysCredentials() throws Exception {
        scheme = "basic";
        byte[] content = "{\"format\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        String layer = digest(content);
        stored.put(layer, content);
        String artifact =
                "{\"schemaVersion\":2,\"mediaType\":\"" + TYPE + "\",\"artifactType\":\"application/vnd.test.v1\","
                        + "\"layers\":[{\"digest\":\"" + layer + "\",\"size\":" + content.length + "}],"
                        + "\"annotations\":{\"note\":\"kept\"}}";
        manifests.put("buildcache.inputs", artifact.getBytes(StandardCharsets.UTF_8));
        types.put("buildcache.inputs", TYPE);

        ManifestTagger.Artifact read = tagger(Optional.of(new RegistryCredential(host, "AWS", "token-123")))
                .readArtifact(
                        ImageReference.parse(host + "/app", "image"), "buildcache.inputs", "application/vnd.test.v1")
                .orElseThrow();

        assertThat(read.content()).isEqualTo(content);
        assertThat(read.annotations()).containsEntry("note", "kept");
        assertThat(storageAuthorizations)
                .as("the storage was asked once, without credentials")
                .containsExactly("none");
    }

    @Test
    void basicCredentialsAreSentWhenTheRegistryWantsThem() throws Exception {
        scheme = "basic";

        tagger(Optional.of(new RegistryCredential(host, "AWS", "token-123")))
                .tag(ImageReference.parse(host + "/app", "image"), DIGEST, "1.0.0");

        assertThat(manifests).containsKey("1.0.0");
        assertThat(authorizations).contains("Basic " + base64("AWS:token-123"));
    }

    @Test
    void aBearerChallengeIsAnsweredWithATokenForThisRepository() throws Exception {
        scheme = "bearer";

        tagger(Optional.of(new RegistryCredential(host, "ci", "s3cret")))
                .tag(ImageReference.parse(host + "/team/app", "image"), DIGEST, "latest");

        assertThat(manifests).containsKey("latest");
        assertThat(authorizations).contains("Bearer token-for-repository:team/app:pull,push");
    }

    @Test
    void withoutCredentialsARefusalIsNotAuthorized() throws Exception {
        scheme = "basic";

        ManifestTagger.NotAuthorized e =
                catchThrowableOfType(ManifestTagger.NotAuthorized.class, () -> tagger(Optional.empty())
                        .tag(ImageReference.parse(host + "/app", "image"), DIGEST, "1.0.0"));

        assertThat(e).isNotNull().hasMessageContaining("401 unauthorized").hasMessageContaining("no credentials");
        assertThat(manifests).doesNotContainKey("1.0.0");
    }

    @Test
    void theRegistrysOwnErrorIsSaidInWords() throws Exception {
        manifests.put("1.0.0", "immutable".getBytes(StandardCharsets.UTF_8));

        LayercacheException e = catchThrowableOfType(LayercacheException.class, () -> tagger(Optional.empty())
                .tag(ImageReference.parse(host + "/app", "image"), DIGEST, "1.0.0"));

        assertThat(e).isNotNull().hasMessageContaining("tag invalid: The image tag '1.0.0' already exists");
    }

    @Test
    void anImageTheRegistryDoesNotHaveIsSaid() throws Exception {
        LayercacheException e = catchThrowableOfType(LayercacheException.class, () -> tagger(Optional.empty())
                .tag(ImageReference.parse(host + "/app", "image"), "sha256:" + "0".repeat(64), "1.0.0"));

        assertThat(e).isNotNull().hasMessageContaining("manifest unknown");
    }

    @Test
    void onlyTheMachineItselfIsSpokenToInPlainHttp() {
        assertThat(ManifestTagger.isLoopback("127.0.0.1:5000")).isTrue();
        assertThat(ManifestTagger.isLoopback("localhost:5000")).isTrue();
        assertThat(ManifestTagger.isLoopback("localhost")).isTrue();
        assertThat(ManifestTagger.isLoopback("123456789012.dkr.ecr.eu-west-1.amazonaws.com"))
                .isFalse();
        assertThat(ManifestTagger.isLoopback("registry.local:5000")).isFalse();
    }

    private ManifestTagger tagger(Optional<RegistryCredential> credential) {
        return new ManifestTagger(h -> credential, Duration.ofSeconds(10));
    }

    // ---------------------------------------------------------------- the fake registry

    private void registry(HttpExchange exchange) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization != null) {
            authorizations.add(authorization);
        }
        if (!authorized(authorization)) {
            exchange.getResponseHeaders()
                    .set(
                            "WWW-Authenticate",
                            scheme.equals("bearer")
                                    ? "Bearer realm=\"http://" + host + "/token\",service=\"fake\""
                                    : "Basic realm=\"fake\"");
            reply(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}");
            return;
        }
        if (exchange.getRequestURI().getPath().contains("/blobs/")) {
            String blob = exchange.getRequestURI().getPath().replaceFirst(".*/blobs/", "");
            exchange.getResponseHeaders().set("Location", "http://" + host + "/storage/" + blob + "?signed=1");
            exchange.sendResponseHeaders(307, -1);
            exchange.close();
            return;
        }
        String reference = exchange.getRequestURI().getPath().replaceFirst(".*/manifests/", "");
        if (exchange.getRequestMethod().equals("GET")) {
            byte[] manifest = manifests.get(reference);
            if (manifest == null) {
                reply(exchange, 404, "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\"}]}");
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", types.get(reference));
            exchange.sendResponseHeaders(200, manifest.length);
            exchange.getResponseBody().write(manifest);
            exchange.close();
            return;
        }
        if (manifests.containsKey(reference)) {
            reply(
                    exchange,
                    400,
                    "{\"errors\":[{\"code\":\"TAG_INVALID\",\"message\":\"The image tag '" + reference
                            + "' already exists in the repository and cannot be overwritten\"}]}");
            return;
        }
        byte[] body = exchange.getRequestBody().readAllBytes();
        manifests.put(reference, body);
        types.put(reference, exchange.getRequestHeaders().getFirst("Content-Type"));
        exchange.getResponseHeaders().set("Docker-Content-Digest", digest(body));
        exchange.sendResponseHeaders(201, -1);
        exchange.close();
    }

    private void storage(HttpExchange exchange) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        storageAuthorizations.add(authorization == null ? "none" : authorization);
        byte[] blob = stored.get(exchange.getRequestURI().getPath().replaceFirst(".*/storage/", ""));
        exchange.sendResponseHeaders(blob == null ? 404 : 200, blob == null ? -1 : blob.length);
        if (blob != null) {
            exchange.getResponseBody().write(blob);
        }
        exchange.close();
    }

    private boolean authorized(String authorization) {
        return switch (scheme) {
            case "basic" -> ("Basic " + base64("AWS:token-123")).equals(authorization);
            case "bearer" -> authorization != null && authorization.startsWith("Bearer token-for-");
            default -> true;
        };
    }

    private void tokenService(HttpExchange exchange) throws IOException {
        String query = java.net.URLDecoder.decode(exchange.getRequestURI().getRawQuery(), StandardCharsets.UTF_8);
        String scope = query.replaceFirst(".*scope=", "");
        boolean knows = ("Basic " + base64("ci:s3cret"))
                .equals(exchange.getRequestHeaders().getFirst("Authorization"));
        reply(exchange, knows ? 200 : 401, "{\"token\":\"token-for-" + scope + "\"}");
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String digest(byte[] bytes) {
        try {
            return "sha256:"
                    + HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
