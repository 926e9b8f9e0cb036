package io.github.layercache.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.layercache.core.JsonDocuments;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An Amazon ECR API emulator on loopback that speaks the real wire protocol, so that unmodified AWS SDK
 * code (an {@code EcrClient} with an endpoint override, or the SDK's {@code AWS_ENDPOINT_URL_ECR}
 * environment variable) can be tested end to end.
 *
 * <p>The protocol is JSON 1.1: {@code POST /} with {@code X-Amz-Target:
 * AmazonEC2ContainerRegistry_V20150921.<Operation>}, {@code Content-Type: application/x-amz-json-1.1}
 * and a SigV4 {@code Authorization} header. Errors are HTTP 400 with an {@code x-amzn-ErrorType}
 * header and a {@code {"__type": ..., "message": ...}} body, which the SDK turns into an {@code
 * EcrException} whose {@code awsErrorDetails().errorCode()} is the {@code __type}.
 *
 * <p>Supported operations: {@code GetAuthorizationToken}, {@code CreateRepository}, {@code
 * DescribeRepositories}, {@code PutLifecyclePolicy} and {@code GetLifecyclePolicy}; any other operation
 * gets {@code UnknownOperationException}. The authorization token is {@code base64("AWS:" +
 * password)}, so a Docker registry with an htpasswd entry for user {@code AWS} and the emulator's
 * password accepts it.
 *
 * <p>Checks made on every API request, in this order (each request is counted by its operation before
 * any of them):
 *
 * <ol>
 *   <li>{@code X-Amz-Target} names a supported operation, else {@code UnknownOperationException};
 *   <li>the content type is {@code application/x-amz-json-1.1}, else {@code SerializationException};
 *   <li>the {@code Authorization} header is a well-formed SigV4 header ({@code AWS4-HMAC-SHA256
 *       Credential=<key>/<yyyymmdd>/<region>/ecr/aws4_request, SignedHeaders=..., Signature=<64 hex>})
 *       and an {@code X-Amz-Date} header is present, else {@code IncompleteSignatureException} (missing
 *       or unparsable parts) or {@code InvalidSignatureException} (a credential scope that is not for
 *       {@code ecr}). <b>The signature itself is not verified</b>: the emulator does not know any
 *       secret key, it only checks the form. The access key and region of every well-formed request
 *       are recorded;
 *   <li>the access key: the configured one is accepted, {@value #DENIED_ACCESS_KEY} gets {@code
 *       AccessDeniedException} for every operation, any other key gets {@code
 *       UnrecognizedClientException};
 *   <li>throttling: with {@code throttleFirst(n)}, the first {@code n} requests that pass the checks
 *       above get {@code ThrottlingException} (the SDK retries those by itself).
 * </ol>
 *
 * <p>Repositories live in one namespace (not per region); a repository's URI and ARN use the region of
 * the request that created it.
 *
 * <p>Admin endpoints for test scripts, plain HTTP without authentication: {@code GET /__calls} (the
 * call counts by operation plus {@code accessKeys} and {@code regions}), {@code POST /__reset} and
 * {@code GET /__repositories}, {@code POST /__repositories} (a {@code CreateRepository} input, without
 * signing: a test's own repository set up as it needs); and {@code GET /__container-credentials}, a container credentials
 * endpoint as CodeBuild gives the SDK one ({@code AWS_CONTAINER_CREDENTIALS_FULL_URI}).
 *
 * <p>The server listens on 127.0.0.1 only. All methods are thread-safe.
 */
public final class EcrEmulator implements AutoCloseable {

    /** The access key that is recognised but denied every operation. */
    public static final String DENIED_ACCESS_KEY = "AKIDDENIED0000000000";

    public static final String DEFAULT_ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE";
    public static final String DEFAULT_ACCOUNT = "123456789012";
    public static final String TARGET_PREFIX = "AmazonEC2ContainerRegistry_V20150921.";
    public static final String CONTENT_TYPE = "application/x-amz-json-1.1";

    /** The operations the emulator implements, in the order {@code GET /__calls} lists them. */
    public static final List<String> OPERATIONS = List.of(
            "GetAuthorizationToken",
            "CreateRepository",
            "DescribeRepositories",
            "PutLifecyclePolicy",
            "GetLifecyclePolicy");

    private static final String LISTENING = "ecr-emulator listening on ";
    private static final Pattern AUTH_PARAM = Pattern.compile("\\s*([A-Za-z]+)=([^,\\s]*)\\s*");
    private static final Pattern DATE = Pattern.compile("\\d{8}");
    private static final Pattern REGION = Pattern.compile("[a-z0-9-]+");
    private static final Pattern SIGNATURE = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern REPOSITORY_NAME =
            Pattern.compile("(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*");
    private static final Set<String> TAG_MUTABILITIES =
            Set.of("MUTABLE", "IMMUTABLE", "MUTABLE_WITH_EXCLUSION", "IMMUTABLE_WITH_EXCLUSION");

    private final String password;
    private final String accessKey;
    private final String account;
    private final Duration tokenTtl;
    private final int throttleFirst;
    private final HttpServer server;
    private final ExecutorService executor;
    private final URI endpoint;

    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Set<String> accessKeys = new LinkedHashSet<>(); // guarded by itself
    private final Set<String> regions = new LinkedHashSet<>(); // guarded by itself
    private final Map<String, Repository> repositories = new LinkedHashMap<>(); // guarded by itself
    private final AtomicInteger throttleBudget;

    private EcrEmulator(Builder builder) throws IOException {
        this.password = builder.password != null ? builder.password : randomPassword();
        this.accessKey = builder.accessKey;
        this.account = builder.account;
        this.tokenTtl = builder.tokenTtl;
        this.throttleFirst = builder.throttleFirst;
        this.throttleBudget = new AtomicInteger(throttleFirst);
        InetAddress loopback = InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
        this.server = HttpServer.create(new InetSocketAddress(loopback, builder.port), 64);
        this.executor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "ecr-emulator");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        this.endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code http://127.0.0.1:<port>}. */
    public URI endpoint() {
        return endpoint;
    }

    /** The password inside the authorization token (random unless the builder set one). */
    public String password() {
        return password;
    }

    public String accessKey() {
        return accessKey;
    }

    public String account() {
        return account;
    }

    /** How many requests named this operation in {@code X-Amz-Target}, whatever their outcome. */
    public int calls(String operation) {
        AtomicInteger count = calls.get(operation);
        return count == null ? 0 : count.get();
    }

    /** The distinct access keys of the well-formed signed requests received, in first-seen order. */
    public List<String> accessKeysSeen() {
        synchronized (accessKeys) {
            return List.copyOf(accessKeys);
        }
    }

    /** The distinct regions of the credential scopes of the signed requests received, in first-seen order. */
    public List<String> regionsSeen() {
        synchronized (regions) {
            return List.copyOf(regions);
        }
    }

    /**
     * A snapshot of the repositories: name to {@code imageTagMutability} (String), {@code scanOnPush}
     * (Boolean) and {@code lifecyclePolicyText} (String, null when there is no policy).
     */
    public Map<String, Map<String, Object>> repositories() {
        Map<String, Map<String, Object>> snapshot = new LinkedHashMap<>();
        synchronized (repositories) {
            for (Repository repository : repositories.values()) {
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("imageTagMutability", repository.imageTagMutability);
                fields.put("imageTagMutabilityExclusionFilters", repository.exclusionFilters);
                fields.put("scanOnPush", repository.scanOnPush);
                fields.put("lifecyclePolicyText", repository.lifecyclePolicyText);
                snapshot.put(repository.name, fields);
            }
        }
        return snapshot;
    }

    /** Forgets the counters, the access keys and regions seen and the repositories; refills the throttle budget. */
    public void reset() {
        calls.clear();
        synchronized (accessKeys) {
            accessKeys.clear();
        }
        synchronized (regions) {
            regions.clear();
        }
        synchronized (repositories) {
            repositories.clear();
        }
        throttleBudget.set(throttleFirst);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ---------------------------------------------------------------------------------------------
    // HTTP

    private void handle(HttpExchange exchange) {
        try {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Reply reply = route(exchange, body);
            send(exchange, reply);
        } catch (IOException e) {
            // the client went away; nothing to answer
        } catch (RuntimeException e) {
            try {
                send(exchange, error(500, "ServerException", "Emulator failure: " + e));
            } catch (IOException | RuntimeException ignored) {
                // the response may already have been started
            }
        } finally {
            exchange.close();
        }
    }

    private Reply route(HttpExchange exchange, String body) {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        return switch (path) {
            case "/" -> api(exchange, method, body);
            case "/__calls" -> admin(method, "GET", this::callsDocument);
            case "/__repositories" ->
                method.equals("POST") ? adminCreateRepository(body) : admin(method, "GET", this::repositories);
            case "/__container-credentials" -> admin(method, "GET", this::containerCredentials);
            case "/__reset" ->
                admin(method, "POST", () -> {
                    reset();
                    return Map.of("reset", true);
                });
            default -> new Reply(404, Map.of("message", "Not found: " + path), Map.of());
        };
    }

    private Reply adminCreateRepository(String body) {
        try {
            return new Reply(200, createRepository(new Caller(accessKey, "us-east-1"), input(body)), Map.of());
        } catch (ApiError e) {
            return error(e.status, e.code, e.getMessage());
        }
    }

    private interface Document {
        Object get();
    }

    private static Reply admin(String method, String expected, Document document) {
        if (!expected.equals(method)) {
            return new Reply(405, Map.of("message", "Use " + expected), Map.of("Allow", expected));
        }
        return new Reply(200, document.get(), Map.of());
    }

    /**
     * Credentials as a container credentials endpoint serves them (what CodeBuild and ECS give the
     * SDK through {@code AWS_CONTAINER_CREDENTIALS_*_URI}): the emulator's access key, valid for an hour.
     */
    private Map<String, Object> containerCredentials() {
        calls.computeIfAbsent("ContainerCredentials", name -> new AtomicInteger())
                .incrementAndGet();
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("AccessKeyId", accessKey);
        document.put("SecretAccessKey", "emulated-container-secret-key");
        document.put("Token", "emulated-container-session-token");
        document.put(
                "Expiration",
                Instant.now()
                        .plus(Duration.ofHours(1))
                        .truncatedTo(ChronoUnit.SECONDS)
                        .toString());
        return document;
    }

    private Map<String, Object> callsDocument() {
        Map<String, Object> document = new LinkedHashMap<>();
        for (String operation : OPERATIONS) {
            document.put(operation, calls(operation));
        }
        calls.forEach((operation, count) -> document.putIfAbsent(operation, count.get()));
        document.put("accessKeys", accessKeysSeen());
        document.put("regions", regionsSeen());
        return document;
    }

    private static void send(HttpExchange exchange, Reply reply) throws IOException {
        byte[] body = JsonDocuments.write(reply.body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", reply.api ? CONTENT_TYPE : "application/json");
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        reply.headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        exchange.sendResponseHeaders(reply.status, body.length);
        exchange.getResponseBody().write(body);
    }

    private record Reply(int status, Object body, Map<String, String> headers, boolean api) {
        Reply(int status, Object body, Map<String, String> headers) {
            this(status, body, headers, false);
        }
    }

    /** An ECR error response: HTTP status, error code ({@code __type}) and message. */
    private static final class ApiError extends RuntimeException {
        private final int status;
        private final String code;

        ApiError(String code, String message) {
            this(400, code, message);
        }

        ApiError(int status, String code, String message) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
        }
    }

    private static Reply error(int status, String code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("__type", code);
        body.put("message", message);
        return new Reply(status, body, Map.of("x-amzn-ErrorType", code), true);
    }

    // ---------------------------------------------------------------------------------------------
    // ECR API

    private record Caller(String accessKey, String region) {}

    private Reply api(HttpExchange exchange, String method, String body) {
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        String operation =
                target != null && target.startsWith(TARGET_PREFIX) ? target.substring(TARGET_PREFIX.length()) : null;
        if (operation != null) {
            calls.computeIfAbsent(operation, name -> new AtomicInteger()).incrementAndGet();
        }
        try {
            if (!"POST".equals(method)) {
                throw new ApiError(405, "UnknownOperationException", "The ECR API only accepts POST requests.");
            }
            if (operation == null || operation.isEmpty()) {
                throw new ApiError(
                        "UnknownOperationException",
                        "Missing or malformed X-Amz-Target header; expected " + TARGET_PREFIX + "<Operation>.");
            }
            if (!OPERATIONS.contains(operation)) {
                throw new ApiError(
                        "UnknownOperationException", "The emulator does not implement operation " + operation + ".");
            }
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            if (contentType == null || !contentType.split(";", 2)[0].trim().equalsIgnoreCase(CONTENT_TYPE)) {
                throw new ApiError(
                        "SerializationException",
                        "Expected Content-Type " + CONTENT_TYPE + ", got " + contentType + ".");
            }
            Caller caller = authenticate(
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("X-Amz-Date"));
            authorize(caller, operation);
            if (throttleBudget.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new ApiError("ThrottlingException", "Rate exceeded");
            }
            Map<String, Object> input = input(body);
            Object output =
                    switch (operation) {
                        case "GetAuthorizationToken" -> getAuthorizationToken(caller);
                        case "CreateRepository" -> createRepository(caller, input);
                        case "DescribeRepositories" -> describeRepositories(input);
                        case "PutLifecyclePolicy" -> putLifecyclePolicy(input);
                        case "GetLifecyclePolicy" -> getLifecyclePolicy(input);
                        default -> throw new IllegalStateException(operation);
                    };
            return new Reply(200, output, Map.of(), true);
        } catch (ApiError e) {
            return error(e.status, e.code, e.getMessage());
        }
    }

    /** Checks the form of the SigV4 header (not the signature: there is no secret to check it with). */
    private Caller authenticate(String authorization, String amzDate) {
        String scheme = "AWS4-HMAC-SHA256 ";
        if (authorization == null || authorization.isBlank()) {
            throw new ApiError("IncompleteSignatureException", "Authorization header is missing.");
        }
        if (!authorization.startsWith(scheme)) {
            throw new ApiError(
                    "IncompleteSignatureException",
                    "Authorization header requires the AWS4-HMAC-SHA256 scheme: " + authorization);
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (String part : authorization.substring(scheme.length()).split(",")) {
            Matcher matcher = AUTH_PARAM.matcher(part);
            if (!matcher.matches()) {
                throw new ApiError(
                        "IncompleteSignatureException", "Authorization header is not well formed: " + authorization);
            }
            params.put(matcher.group(1), matcher.group(2));
        }
        for (String required : List.of("Credential", "SignedHeaders", "Signature")) {
            if (params.getOrDefault(required, "").isEmpty()) {
                throw new ApiError(
                        "IncompleteSignatureException",
                        "Authorization header requires '" + required + "' parameter: " + authorization);
            }
        }
        if (!SIGNATURE.matcher(params.get("Signature")).matches()) {
            throw new ApiError("IncompleteSignatureException", "Signature must be 64 lowercase hex digits.");
        }
        if (amzDate == null || amzDate.isBlank()) {
            throw new ApiError("IncompleteSignatureException", "Authorization requires an X-Amz-Date header.");
        }
        String[] scope = params.get("Credential").split("/", -1);
        if (scope.length != 5 || scope[0].isEmpty()) {
            throw new ApiError(
                    "IncompleteSignatureException",
                    "Credential must have the form <key>/<yyyymmdd>/<region>/ecr/aws4_request: "
                            + params.get("Credential"));
        }
        if (!DATE.matcher(scope[1]).matches()
                || !REGION.matcher(scope[2]).matches()
                || !"aws4_request".equals(scope[4])) {
            throw new ApiError(
                    "InvalidSignatureException", "Credential scope is not well formed: " + params.get("Credential"));
        }
        if (!"ecr".equals(scope[3])) {
            throw new ApiError(
                    "InvalidSignatureException",
                    "Credential should be scoped to correct service: 'ecr', not '" + scope[3] + "'.");
        }
        synchronized (accessKeys) {
            accessKeys.add(scope[0]);
        }
        synchronized (regions) {
            regions.add(scope[2]);
        }
        return new Caller(scope[0], scope[2]);
    }

    private void authorize(Caller caller, String operation) {
        if (caller.accessKey.equals(accessKey)) {
            return;
        }
        if (caller.accessKey.equals(DENIED_ACCESS_KEY)) {
            throw new ApiError(
                    "AccessDeniedException",
                    "User: arn:aws:iam::" + account + ":user/ci is not authorized to perform: ecr:" + operation
                            + " on resource: * because no identity-based policy allows the ecr:" + operation
                            + " action");
        }
        throw new ApiError("UnrecognizedClientException", "The security token included in the request is invalid.");
    }

    private static Map<String, Object> input(String text) {
        if (text == null || text.isBlank()) {
            return Map.of();
        }
        try {
            return JsonMaps.parse(text);
        } catch (UncheckedIOException e) {
            throw new ApiError("SerializationException", "The request body is not a JSON object: " + e.getMessage());
        }
    }

    private Map<String, Object> getAuthorizationToken(Caller caller) {
        // registryIds (deprecated in ECR) are ignored: the token is always for the configured account.
        Map<String, Object> data = new LinkedHashMap<>();
        data.put(
                "authorizationToken",
                Base64.getEncoder().encodeToString(("AWS:" + password).getBytes(StandardCharsets.UTF_8)));
        data.put("expiresAt", Instant.now().plus(tokenTtl).getEpochSecond());
        data.put("proxyEndpoint", "https://" + registryHost(caller.region));
        return Map.of("authorizationData", List.of(data));
    }

    private Map<String, Object> createRepository(Caller caller, Map<String, Object> input) {
        String name = repositoryName(input);
        if (!REPOSITORY_NAME.matcher(name).matches() || name.length() < 2 || name.length() > 256) {
            throw new ApiError(
                    "InvalidParameterException",
                    "Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular"
                            + " expression '" + REPOSITORY_NAME.pattern() + "''");
        }
        String mutability = Objects.toString(input.get("imageTagMutability"), "MUTABLE");
        if (!TAG_MUTABILITIES.contains(mutability)) {
            throw new ApiError("InvalidParameterException", "Invalid parameter at 'imageTagMutability': " + mutability);
        }
        boolean scanOnPush = false;
        if (input.get("imageScanningConfiguration") instanceof Map<?, ?> scanning
                && scanning.get("scanOnPush") instanceof Boolean flag) {
            scanOnPush = flag;
        }
        List<Object> exclusions = input.get("imageTagMutabilityExclusionFilters") instanceof List<?> filters
                ? List.copyOf(filters)
                : List.of();
        Repository repository = new Repository(name, caller.region, mutability, exclusions, scanOnPush, Instant.now());
        synchronized (repositories) {
            if (repositories.containsKey(name)) {
                throw new ApiError(
                        "RepositoryAlreadyExistsException",
                        "The repository with name '" + name + "' already exists in the registry with id '" + account
                                + "'");
            }
            repositories.put(name, repository);
        }
        return Map.of("repository", repositoryDocument(repository));
    }

    private Map<String, Object> describeRepositories(Map<String, Object> input) {
        List<Object> documents = new ArrayList<>();
        synchronized (repositories) {
            if (input.get("repositoryNames") instanceof List<?> names && !names.isEmpty()) {
                for (Object name : names) {
                    documents.add(repositoryDocument(existing(String.valueOf(name))));
                }
            } else {
                for (Repository repository : repositories.values()) {
                    documents.add(repositoryDocument(repository));
                }
            }
        }
        return Map.of("repositories", documents);
    }

    private Map<String, Object> putLifecyclePolicy(Map<String, Object> input) {
        String name = repositoryName(input);
        if (!(input.get("lifecyclePolicyText") instanceof String text) || text.isBlank()) {
            throw new ApiError("InvalidParameterException", "lifecyclePolicyText is required.");
        }
        try {
            if (!(JsonMaps.parse(text).get("rules") instanceof List<?>)) {
                throw new ApiError(
                        "InvalidParameterException",
                        "Invalid parameter at 'LifecyclePolicyText' failed to satisfy"
                                + " constraint: 'Lifecycle policy validation failure: \"rules\" is required'");
            }
        } catch (UncheckedIOException e) {
            throw new ApiError(
                    "InvalidParameterException",
                    "Invalid parameter at 'LifecyclePolicyText': not a JSON object: " + e.getMessage());
        }
        synchronized (repositories) {
            Repository repository = existing(name);
            repository.lifecyclePolicyText = text;
            repository.lifecyclePolicyUpdatedAt = Instant.now();
        }
        Map<String, Object> output = new LinkedHashMap<>();
        output.put("registryId", account);
        output.put("repositoryName", name);
        output.put("lifecyclePolicyText", text);
        return output;
    }

    private Map<String, Object> getLifecyclePolicy(Map<String, Object> input) {
        String name = repositoryName(input);
        Map<String, Object> output = new LinkedHashMap<>();
        synchronized (repositories) {
            Repository repository = existing(name);
            if (repository.lifecyclePolicyText == null) {
                throw new ApiError(
                        "LifecyclePolicyNotFoundException",
                        "Lifecycle policy does not exist for the repository with name '" + name
                                + "' in the registry with id '" + account + "'");
            }
            output.put("registryId", account);
            output.put("repositoryName", name);
            output.put("lifecyclePolicyText", repository.lifecyclePolicyText);
            output.put("lastEvaluatedAt", seconds(repository.lifecyclePolicyUpdatedAt));
        }
        return output;
    }

    private static String repositoryName(Map<String, Object> input) {
        if (!(input.get("repositoryName") instanceof String name) || name.isEmpty()) {
            throw new ApiError("InvalidParameterException", "repositoryName is required.");
        }
        return name;
    }

    /** Must be called holding the repositories lock. */
    private Repository existing(String name) {
        Repository repository = repositories.get(name);
        if (repository == null) {
            throw new ApiError(
                    "RepositoryNotFoundException",
                    "The repository with name '" + name + "' does not exist in the registry with id '" + account + "'");
        }
        return repository;
    }

    private Map<String, Object> repositoryDocument(Repository repository) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put(
                "repositoryArn", "arn:aws:ecr:" + repository.region + ":" + account + ":repository/" + repository.name);
        document.put("registryId", account);
        document.put("repositoryName", repository.name);
        document.put("repositoryUri", registryHost(repository.region) + "/" + repository.name);
        document.put("createdAt", seconds(repository.createdAt));
        document.put("imageTagMutability", repository.imageTagMutability);
        if (!repository.exclusionFilters.isEmpty()) {
            document.put("imageTagMutabilityExclusionFilters", repository.exclusionFilters);
        }
        document.put("imageScanningConfiguration", Map.of("scanOnPush", repository.scanOnPush));
        document.put("encryptionConfiguration", Map.of("encryptionType", "AES256"));
        return document;
    }

    private String registryHost(String region) {
        return account + ".dkr.ecr." + region + ".amazonaws.com";
    }

    private static BigDecimal seconds(Instant instant) {
        return BigDecimal.valueOf(instant.toEpochMilli(), 3);
    }

    private static final class Repository {
        final String name;
        final String region;
        final String imageTagMutability;
        final List<Object> exclusionFilters;
        final boolean scanOnPush;
        final Instant createdAt;
        String lifecyclePolicyText;
        Instant lifecyclePolicyUpdatedAt;

        Repository(
                String name,
                String region,
                String imageTagMutability,
                List<Object> exclusionFilters,
                boolean scanOnPush,
                Instant createdAt) {
            this.name = name;
            this.region = region;
            this.imageTagMutability = imageTagMutability;
            this.exclusionFilters = exclusionFilters;
            this.scanOnPush = scanOnPush;
            this.createdAt = createdAt;
        }
    }

    private static String randomPassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    // ---------------------------------------------------------------------------------------------
    // Builder and standalone entry point

    public static final class Builder {
        private int port;
        private String password;
        private String accessKey = DEFAULT_ACCESS_KEY;
        private String account = DEFAULT_ACCOUNT;
        private Duration tokenTtl = Duration.ofHours(12);
        private int throttleFirst;

        private Builder() {}

        /** The port to listen on; 0 (the default) picks a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.port = port;
            return this;
        }

        /** The password inside the authorization token; a random one by default. */
        public Builder password(String password) {
            if (password == null || password.isEmpty() || password.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("password must be a non-empty single line");
            }
            this.password = password;
            return this;
        }

        /** The access key that is accepted; default {@value #DEFAULT_ACCESS_KEY}. */
        public Builder accessKey(String accessKey) {
            if (accessKey == null || accessKey.isEmpty() || accessKey.contains("/")) {
                throw new IllegalArgumentException("bad access key");
            }
            if (accessKey.equals(DENIED_ACCESS_KEY)) {
                throw new IllegalArgumentException(DENIED_ACCESS_KEY + " is reserved for denied requests");
            }
            this.accessKey = accessKey;
            return this;
        }

        /** The 12-digit account (registry id); default {@value #DEFAULT_ACCOUNT}. */
        public Builder account(String account) {
            if (account == null || !account.matches("\\d{12}")) {
                throw new IllegalArgumentException("account must be 12 digits: " + account);
            }
            this.account = account;
            return this;
        }

        /** How long authorization tokens are valid; default 12 hours. */
        public Builder tokenTtl(Duration tokenTtl) {
            if (tokenTtl == null || tokenTtl.isNegative() || tokenTtl.isZero()) {
                throw new IllegalArgumentException("tokenTtl must be positive");
            }
            this.tokenTtl = tokenTtl;
            return this;
        }

        /** How many accepted requests get ThrottlingException before requests succeed; default 0. */
        public Builder throttleFirst(int throttleFirst) {
            if (throttleFirst < 0) {
                throw new IllegalArgumentException("throttleFirst must not be negative");
            }
            this.throttleFirst = throttleFirst;
            return this;
        }

        /** Starts the emulator. */
        public EcrEmulator build() {
            try {
                return new EcrEmulator(this);
            } catch (IOException e) {
                throw new IllegalStateException("Cannot start the ECR emulator on port " + port + ": " + e, e);
            }
        }
    }

    /**
     * Runs the emulator until the process is killed: {@code --port N --password-file F [--access-key K]
     * [--account A] [--token-ttl-seconds S] [--throttle-first N]}. Prints {@code ecr-emulator listening on
     * http://127.0.0.1:N} once it listens (with {@code --port 0}, N is the port picked). The password is
     * read from the file (trailing line breaks removed) and never printed.
     */
    public static void main(String[] args) throws Exception {
        Builder builder = builder();
        Path passwordFile = null;
        String immutableProxy = null;
        try {
            for (int i = 0; i < args.length; i++) {
                String option = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(option + " needs a value");
                }
                String value = args[++i];
                switch (option) {
                    case "--port" -> builder.port(Integer.parseInt(value));
                    case "--password-file" -> passwordFile = Path.of(value);
                    case "--access-key" -> builder.accessKey(value);
                    case "--account" -> builder.account(value);
                    case "--token-ttl-seconds" -> builder.tokenTtl(Duration.ofSeconds(Long.parseLong(value)));
                    case "--throttle-first" -> builder.throttleFirst(Integer.parseInt(value));
                    case "--immutable-proxy" -> immutableProxy = value;
                    default -> throw new IllegalArgumentException("unknown option " + option);
                }
            }
            if (passwordFile == null) {
                throw new IllegalArgumentException("--password-file is required");
            }
            builder.password(Files.readString(passwordFile).replaceAll("[\r\n]+$", ""));
        } catch (IllegalArgumentException | IOException e) {
            PrintStream err = System.err;
            err.println("ecr-emulator: " + e.getMessage());
            err.println("usage: EcrEmulator --port N --password-file F [--access-key K] [--account A]"
                    + " [--token-ttl-seconds S] [--throttle-first N] [--immutable-proxy PORT=HOST:PORT]");
            System.exit(2);
            return;
        }
        EcrEmulator emulator = builder.build();
        // An ECR-like registry with immutable tags beside the API: PORT=UPSTREAM (host:port of a registry).
        ImmutableTagProxy proxy = immutableProxy == null
                ? null
                : new ImmutableTagProxy(
                        Integer.parseInt(immutableProxy.substring(0, immutableProxy.indexOf('='))),
                        immutableProxy.substring(immutableProxy.indexOf('=') + 1));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            emulator.close();
                            if (proxy != null) {
                                proxy.close();
                            }
                            stopped.countDown();
                        },
                        "ecr-emulator-shutdown"));
        System.out.println(LISTENING + emulator.endpoint());
        System.out.flush();
        stopped.await();
    }
}
