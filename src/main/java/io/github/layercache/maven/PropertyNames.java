package io.github.layercache.maven;

import java.util.Map;
import java.util.Optional;

/** Every {@code -D} property of the plugin: one prefix, one place. */
public final class PropertyNames {

    public static final String PREFIX = "layercache.";

    public static final String SKIP = PREFIX + "skip";
    public static final String SKIP_BUILD = PREFIX + "skip.build";
    public static final String DOCKER = PREFIX + "docker";
    public static final String CONTEXT = PREFIX + "context";
    public static final String DOCKERFILE = PREFIX + "dockerfile";
    public static final String REGISTRY = PREFIX + "registry";
    public static final String IMAGE = PREFIX + "image";
    public static final String TAGS = PREFIX + "tags";
    public static final String TARGET = PREFIX + "target";
    public static final String PLATFORMS = PREFIX + "platforms";
    public static final String OCI_LABELS = PREFIX + "ociLabels";
    public static final String PULL = PREFIX + "pull";
    public static final String NO_CACHE = PREFIX + "noCache";
    public static final String NETWORK = PREFIX + "network";
    public static final String BUILDER = PREFIX + "builder";
    public static final String TIMEOUT_SECONDS = PREFIX + "timeoutSeconds";
    public static final String LOAD = PREFIX + "load";
    public static final String CACHE = PREFIX + "cache";
    public static final String CACHE_REF = PREFIX + "cache.ref";
    public static final String CACHE_TAG = PREFIX + "cache.tag";
    public static final String CACHE_MODE = PREFIX + "cache.mode";
    public static final String CACHE_EXPORT_ONLY_IN_CI = PREFIX + "cache.exportOnlyInCi";
    public static final String CACHE_STRICT = PREFIX + "cache.strict";
    public static final String CI = PREFIX + "ci";
    public static final String RESULT_FILE = PREFIX + "resultFile";
    public static final String SKIP_SETUP = PREFIX + "skip.setup";
    public static final String ECR_LOGIN = PREFIX + "ecr.login";
    public static final String FAIL_WITHOUT_DOCKERFILE = PREFIX + "failWithoutDockerfile";
    public static final String BRANCH = PREFIX + "branch";
    public static final String MAIN_BRANCH = PREFIX + "mainBranch";
    public static final String CACHE_PER_BRANCH = PREFIX + "cache.perBranch";
    public static final String FINGERPRINT = PREFIX + "fingerprint";
    public static final String FINGERPRINT_BASE_IMAGES = PREFIX + "fingerprint.baseImages";
    public static final String VOLATILE_BUILD_ARGS = PREFIX + "fingerprint.volatileBuildArgs";
    public static final String AWS_PROFILE = PREFIX + "aws.profile";
    public static final String AWS_REGION = PREFIX + "aws.region";
    public static final String ECR_CREATE_REPOSITORY = PREFIX + "ecr.createRepository";
    public static final String ECR_IMMUTABLE_TAGS = PREFIX + "ecr.immutableTags";
    public static final String ECR_SCAN_ON_PUSH = PREFIX + "ecr.scanOnPush";
    public static final String ECR_KEEP_IMAGES = PREFIX + "ecr.keepImages";
    public static final String DRIVER = PREFIX + "buildx.driver";
    public static final String BUILDKIT_IMAGE = PREFIX + "buildx.image";
    public static final String BUILDKITD_CONFIG = PREFIX + "buildx.config";
    public static final String BUILDER_PLATFORMS = PREFIX + "buildx.platforms";
    public static final String BOOTSTRAP = PREFIX + "buildx.bootstrap";
    public static final String ENDPOINT = PREFIX + "buildx.endpoint";
    public static final String SKIP_PUSH = PREFIX + "skip.push";
    public static final String PUSH_RETRIES = PREFIX + "push.retries";
    public static final String PUSH_RETRY_DELAY_SECONDS = PREFIX + "push.retryDelaySeconds";
    public static final String PUSH_TIMEOUT_SECONDS = PREFIX + "push.timeoutSeconds";

    /** Project properties the {@code build} goal sets for later plugins. */
    public static final String RESULT_DIGEST = PREFIX + "image.digest";

    public static final String RESULT_IMAGE = PREFIX + "image.name";
    public static final String RESULT_TAGS = PREFIX + "image.tags";
    public static final String RESULT_REFERENCE = PREFIX + "image.reference";
    public static final String RESULT_PUSHED_DIGEST = PREFIX + "image.pushedDigest";
    public static final String RESULT_STEPS = PREFIX + "image.steps";
    public static final String RESULT_FINGERPRINT_TAG = PREFIX + "image.fingerprintTag";
    public static final String RESULT_REUSED = PREFIX + "image.reused";
    public static final String RESULT_SECONDS = PREFIX + "image.seconds";

    private static final Map<String, String> BY_PARAMETER = Map.ofEntries(
            Map.entry("skip", SKIP),
            Map.entry("skipBuild", SKIP_BUILD),
            Map.entry("dockerExecutable", DOCKER),
            Map.entry("contextDirectory", CONTEXT),
            Map.entry("dockerfile", DOCKERFILE),
            Map.entry("registry", REGISTRY),
            Map.entry("image", IMAGE),
            Map.entry("tags", TAGS),
            Map.entry("target", TARGET),
            Map.entry("platforms", PLATFORMS),
            Map.entry("ociLabels", OCI_LABELS),
            Map.entry("pull", PULL),
            Map.entry("noCache", NO_CACHE),
            Map.entry("network", NETWORK),
            Map.entry("builder", BUILDER),
            Map.entry("timeoutSeconds", TIMEOUT_SECONDS),
            Map.entry("load", LOAD),
            Map.entry("cache", CACHE),
            Map.entry("cacheRef", CACHE_REF),
            Map.entry("cacheTag", CACHE_TAG),
            Map.entry("cacheMode", CACHE_MODE),
            Map.entry("cacheExportOnlyInCi", CACHE_EXPORT_ONLY_IN_CI),
            Map.entry("cacheStrict", CACHE_STRICT),
            Map.entry("ci", CI),
            Map.entry("resultFile", RESULT_FILE),
            Map.entry("skipSetup", SKIP_SETUP),
            Map.entry("ecrLogin", ECR_LOGIN),
            Map.entry("failWithoutDockerfile", FAIL_WITHOUT_DOCKERFILE),
            Map.entry("branch", BRANCH),
            Map.entry("mainBranch", MAIN_BRANCH),
            Map.entry("cachePerBranch", CACHE_PER_BRANCH),
            Map.entry("fingerprint", FINGERPRINT),
            Map.entry("fingerprintBaseImages", FINGERPRINT_BASE_IMAGES),
            Map.entry("volatileBuildArgs", VOLATILE_BUILD_ARGS),
            Map.entry("awsProfile", AWS_PROFILE),
            Map.entry("awsRegion", AWS_REGION),
            Map.entry("ecrCreateRepository", ECR_CREATE_REPOSITORY),
            Map.entry("ecrImmutableTags", ECR_IMMUTABLE_TAGS),
            Map.entry("ecrScanOnPush", ECR_SCAN_ON_PUSH),
            Map.entry("ecrKeepImages", ECR_KEEP_IMAGES),
            Map.entry("driver", DRIVER),
            Map.entry("buildkitImage", BUILDKIT_IMAGE),
            Map.entry("buildkitdConfig", BUILDKITD_CONFIG),
            Map.entry("builderPlatforms", BUILDER_PLATFORMS),
            Map.entry("bootstrap", BOOTSTRAP),
            Map.entry("endpoint", ENDPOINT),
            Map.entry("skipPush", SKIP_PUSH),
            Map.entry("pushRetries", PUSH_RETRIES),
            Map.entry("pushRetryDelaySeconds", PUSH_RETRY_DELAY_SECONDS),
            Map.entry("pushTimeoutSeconds", PUSH_TIMEOUT_SECONDS));

    private PropertyNames() {}

    /** The {@code -D} property of a parameter, if it has one (nested parameters have none). */
    public static Optional<String> forParameter(String parameter) {
        return Optional.ofNullable(BY_PARAMETER.get(parameter));
    }
}
