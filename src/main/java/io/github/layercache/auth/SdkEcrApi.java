package io.github.layercache.auth;

import io.github.layercache.core.JsonDocuments;
import io.github.layercache.core.LayercacheException;
import io.github.layercache.core.Text;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.AuthorizationData;
import software.amazon.awssdk.services.ecr.model.EcrException;
import software.amazon.awssdk.services.ecr.model.ImageTagMutability;
import software.amazon.awssdk.services.ecr.model.ImageTagMutabilityExclusionFilter;
import software.amazon.awssdk.services.ecr.model.ImageTagMutabilityExclusionFilterType;
import software.amazon.awssdk.services.ecr.model.LifecyclePolicyNotFoundException;
import software.amazon.awssdk.services.ecr.model.Repository;
import software.amazon.awssdk.services.ecr.model.RepositoryAlreadyExistsException;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;

/**
 * Amazon ECR through the AWS SDK for Java v2, with the default credentials provider chain (as
 * CodeBuild provides credentials) and the SDK's standard endpoint override
 * ({@code AWS_ENDPOINT_URL_ECR}, {@code AWS_ENDPOINT_URL}).
 *
 * @param profile a named profile of the shared AWS config, or null for the default chain's choice
 * @param regionOverride the region for API calls, or null for the registry's own region
 */
public record SdkEcrApi(String profile, String regionOverride) implements EcrApi {

    @Override
    public String caller() {
        return "profile=" + profile + " region=" + regionOverride;
    }

    @Override
    public EcrToken authorizationToken(EcrRegistry registry) throws LayercacheException {
        try (EcrClient ecr = client(registry)) {
            @SuppressWarnings("deprecation") // registryIds still selects the account for cross-account registries
            List<AuthorizationData> all = ecr.getAuthorizationToken(r -> r.registryIds(registry.account()))
                    .authorizationData();
            if (all.isEmpty()) {
                throw new LayercacheException("ECR returned no authorization data for " + registry.host() + ".");
            }
            AuthorizationData data = all.get(0);
            String decoded = new String(Base64.getDecoder().decode(data.authorizationToken()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw new LayercacheException(
                        "ECR returned a token for " + registry.host() + " that is not user:password.");
            }
            return new EcrToken(registry, decoded.substring(0, colon), decoded.substring(colon + 1), data.expiresAt());
        } catch (SdkException e) {
            throw explain(e, "GetAuthorizationToken", registry);
        }
    }

    @Override
    public boolean ensureRepository(EcrRegistry registry, String repository, RepositorySettings settings)
            throws LayercacheException {
        String action = "DescribeRepositories";
        try (EcrClient ecr = client(registry)) {
            try {
                ecr.describeRepositories(r -> r.registryId(registry.account()).repositoryNames(repository));
                return false;
            } catch (RepositoryNotFoundException missing) {
                // created below
            }
            action = "CreateRepository";
            try {
                ecr.createRepository(r -> {
                    r.registryId(registry.account())
                            .repositoryName(repository)
                            .imageScanningConfiguration(s -> s.scanOnPush(settings.scanOnPush()));
                    if (settings.immutableTags()) {
                        // Immutable for the user's tags; the cache and fingerprint tags must keep moving.
                        r.imageTagMutability(ImageTagMutability.IMMUTABLE_WITH_EXCLUSION)
                                .imageTagMutabilityExclusionFilters(settings.ownTagPatterns().stream()
                                        .map(pattern -> ImageTagMutabilityExclusionFilter.builder()
                                                .filterType(ImageTagMutabilityExclusionFilterType.WILDCARD)
                                                .filter(pattern)
                                                .build())
                                        .toList());
                    } else {
                        r.imageTagMutability(ImageTagMutability.MUTABLE);
                    }
                });
            } catch (RepositoryAlreadyExistsException raced) {
                return false; // another module or build created it a moment ago
            }
            if (settings.expireDays() > 0) {
                action = "PutLifecyclePolicy";
                ecr.putLifecyclePolicy(r -> r.registryId(registry.account())
                        .repositoryName(repository)
                        .lifecyclePolicyText(settings.lifecyclePolicy()));
            }
            return true;
        } catch (SdkException e) {
            throw explain(e, action, registry);
        }
    }

    @Override
    public Optional<TagMutability> tagMutability(EcrRegistry registry, String repository) throws LayercacheException {
        try (EcrClient ecr = client(registry)) {
            Repository found = ecr.describeRepositories(
                            r -> r.registryId(registry.account()).repositoryNames(repository))
                    .repositories()
                    .get(0);
            return Optional.of(new TagMutability(
                    found.imageTagMutabilityAsString(),
                    found.imageTagMutabilityExclusionFilters().stream()
                            .map(ImageTagMutabilityExclusionFilter::filter)
                            .toList()));
        } catch (RepositoryNotFoundException missing) {
            return Optional.empty();
        } catch (SdkException e) {
            throw explain(e, "DescribeRepositories", registry);
        }
    }

    @Override
    public Optional<String> replaceLifecyclePolicy(EcrRegistry registry, String repository, String policy)
            throws LayercacheException {
        String action = "GetLifecyclePolicy";
        try (EcrClient ecr = client(registry)) {
            Optional<String> current;
            try {
                current = Optional.of(ecr.getLifecyclePolicy(
                                r -> r.registryId(registry.account()).repositoryName(repository))
                        .lifecyclePolicyText());
            } catch (LifecyclePolicyNotFoundException none) {
                current = Optional.empty();
            }
            if (current.isPresent() && JsonDocuments.sameJson(current.get(), policy)) {
                return current;
            }
            action = "PutLifecyclePolicy";
            ecr.putLifecyclePolicy(r ->
                    r.registryId(registry.account()).repositoryName(repository).lifecyclePolicyText(policy));
            return current;
        } catch (SdkException e) {
            throw explain(e, action, registry);
        }
    }

    private EcrClient client(EcrRegistry registry) throws LayercacheException {
        String region = regionOverride != null ? regionOverride : registry.region();
        if (regionOverride == null && !Region.regions().contains(Region.of(region))) {
            throw new LayercacheException(
                    "Unknown AWS region '" + region + "' in the registry host " + registry.host()
                            + ". Check the host, or name the region for API calls.",
                    "awsRegion");
        }
        DefaultCredentialsProvider.Builder credentials = DefaultCredentialsProvider.builder();
        if (profile != null) {
            credentials.profileName(profile);
        }
        return EcrClient.builder()
                .region(Region.of(region))
                .credentialsProvider(credentials.build())
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    /** Turns an SDK failure into a message that says what to do. */
    LayercacheException explain(SdkException e, String action, EcrRegistry registry) {
        String target = "ECR " + action + " for " + registry.host();
        if (e instanceof EcrException ecr && ecr.awsErrorDetails() != null) {
            String code = ecr.awsErrorDetails().errorCode();
            String message = ecr.awsErrorDetails().errorMessage();
            if ("AccessDeniedException".equals(code)) {
                return new LayercacheException(target + " was denied: " + message + ". Allow the action ecr:" + action
                        + " to the role or user the build runs as.");
            }
            if ("UnrecognizedClientException".equals(code)
                    || "InvalidSignatureException".equals(code)
                    || "ExpiredTokenException".equals(code)) {
                return new LayercacheException(
                        target + " failed: AWS did not accept the credentials (" + code + ": " + message
                                + "). Check the access key, its secret and session token, or the profile.",
                        "awsProfile");
            }
            return new LayercacheException(target + " failed: " + code + ": " + message);
        }
        if (e instanceof SdkClientException
                && e.getMessage() != null
                && e.getMessage().contains("Unable to load credentials")) {
            return new NoAwsCredentialsException(
                    "No AWS credentials for the ECR login to " + registry.host() + ". The default chain looked in:"
                            + " the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), Java system"
                            + " properties, a web identity token (AWS_WEB_IDENTITY_TOKEN_FILE), the shared config and"
                            + " credentials files (AWS_PROFILE or the profile setting), container credentials"
                            + " (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, as CodeBuild and ECS set it) and EC2 instance"
                            + " metadata. Provide credentials in one of them.",
                    "awsProfile");
        }
        if (hasCause(e, ConnectException.class)
                || hasCause(e, UnknownHostException.class)
                || hasCause(e, SocketTimeoutException.class)) {
            return new LayercacheException(target + " failed: cannot reach the ECR API at " + endpoint(registry) + " ("
                    + rootMessage(e) + "). Check the network, the region, or AWS_ENDPOINT_URL_ECR / AWS_ENDPOINT_URL.");
        }
        return new LayercacheException(target + " failed: " + rootMessage(e));
    }

    /** The endpoint the SDK used: its standard overrides in the SDK's order, else the regional one. */
    private String endpoint(EcrRegistry registry) {
        String[][] overrides = {
            {"aws.endpointUrlEcr", null},
            {null, "AWS_ENDPOINT_URL_ECR"},
            {"aws.endpointUrl", null},
            {null, "AWS_ENDPOINT_URL"}
        };
        for (String[] override : overrides) {
            String value = override[0] != null ? System.getProperty(override[0]) : System.getenv(override[1]);
            if (Text.isSet(value)) {
                return value + " (" + (override[0] != null ? "-D" + override[0] : override[1]) + ")";
            }
        }
        return "api.ecr." + (regionOverride != null ? regionOverride : registry.region()) + ".amazonaws.com";
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
