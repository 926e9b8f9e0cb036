package io.github.layercache.maven;

/**
 * Every {@code -D} property of the plugin: one prefix, one place. Messages take a parameter's
 * property from the plugin descriptor, which these constants fill.
 */
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
    public static final String PROVENANCE = PREFIX + "provenance";
    public static final String SBOM = PREFIX + "sbom";
    public static final String CACHE = PREFIX + "cache";
    public static final String CACHE_REF = PREFIX + "cache.ref";
    public static final String CACHE_TAG = PREFIX + "cache.tag";
    public static final String CACHE_MODE = PREFIX + "cache.mode";
    public static final String CACHE_EXPORT_ONLY_IN_CI = PREFIX + "cache.exportOnlyInCi";
    public static final String CACHE_STRICT = PREFIX + "cache.strict";
    public static final String CACHE_EXPLAIN = PREFIX + "cache.explain";
    public static final String CI = PREFIX + "ci";
    public static final String IMAGE_RESULT_FILE = PREFIX + "resultFile";
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
    public static final String ECR_EXPIRE_DAYS = PREFIX + "ecr.expireDays";
    public static final String ECR_APPLY_LIFECYCLE_POLICY = PREFIX + "ecr.applyLifecyclePolicy";
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
    public static final String JAVA_APP_CONTEXT = PREFIX + "javaApp.context";
    public static final String JAVA_APP_ROOT = PREFIX + "javaApp.root";
    public static final String MAIN_CLASS = PREFIX + "javaApp.mainClass";

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

    private PropertyNames() {}
}
