package io.github.layercache.build;

import io.github.layercache.auth.RepositorySettings;
import io.github.layercache.spec.ProjectInfo;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code build} goal's configuration as the user wrote it, before any rule applies: what
 * {@link BuildPlanner} turns into a validated build. Made with {@link #builder()}, whose defaults
 * are the goal's.
 *
 * @param moduleDirectory the module's directory (relative secret files are resolved against it)
 * @param projectRoot the top of the project: the context must lie inside it; null skips that check
 * @param project the facts about the module that names and OCI labels come from
 * @param pluginVersion the plugin's own version, part of every fingerprint
 * @param contextDirectory the build context
 * @param dockerfile the Dockerfile as the user named it, or null
 * @param registry the registry the image goes to, or null
 * @param image the full image repository, or null for one derived from the module
 * @param tags the tag templates
 * @param failWithoutDockerfile a module left at the defaults without a Dockerfile fails instead of being skipped
 * @param branch the branch the user named, or null to ask CI and git
 * @param mainBranch the branch whose cache every other branch reads
 * @param cachePerBranch other branches than the main one get their own cache
 * @param fingerprint skip the build when the registry has an image with the same inputs
 * @param fingerprintBaseImages the base images' digests are part of the fingerprint
 * @param volatileBuildArgs build arguments left out of the fingerprint
 * @param buildArgs {@code --build-arg} values
 * @param target the Dockerfile stage, or null
 * @param platforms target platforms
 * @param labels the user's image labels
 * @param ociLabels add {@code org.opencontainers.image.*} labels from the project
 * @param pull always pull base images
 * @param noCache build without any cache
 * @param network the network of RUN steps, or null
 * @param secrets build secrets as configured
 * @param ssh {@code --ssh} entries
 * @param builderName the buildx builder, or null for buildx's current one
 * @param timeoutSeconds how long the build may run
 * @param extraArgs more buildx arguments
 * @param load load the image into the local image store ({@code true}) or push it to the registry by digest
 *     ({@code false}); null for the default: by digest in CI, loaded elsewhere
 * @param outputTimestamp Maven's {@code project.build.outputTimestamp}, or null
 * @param provenance the provenance attestation: {@code false}, {@code true}, {@code mode=min} or {@code mode=max}
 * @param sbom whether to attach an SBOM attestation
 * @param cache use a registry layer cache
 * @param cacheRef the image's own cache ref, or null for one derived from the image
 * @param cacheTag the tag of the derived cache ref
 * @param cacheMode {@code max} or {@code min}
 * @param cacheFrom more caches to import
 * @param cacheTo raw cache exports replacing the default
 * @param cacheExportOnlyInCi export the cache only in CI
 * @param ci the user's answer to whether this is CI, or null to detect it
 * @param cacheStrict fail when a cache cannot be read or written
 * @param cacheExplain say why steps ran instead of coming from the cache, and record the inputs beside the cache
 * @param ecrCreateRepository create the image's ECR repository when it is missing
 * @param ecrRepository how a created ECR repository is set up
 * @param resultFile where the result document goes
 */
public record BuildRequest(
        Path moduleDirectory,
        Path projectRoot,
        ProjectInfo project,
        String pluginVersion,
        Path contextDirectory,
        String dockerfile,
        String registry,
        String image,
        List<String> tags,
        boolean failWithoutDockerfile,
        String branch,
        String mainBranch,
        boolean cachePerBranch,
        boolean fingerprint,
        boolean fingerprintBaseImages,
        List<String> volatileBuildArgs,
        Map<String, String> buildArgs,
        String target,
        List<String> platforms,
        Map<String, String> labels,
        boolean ociLabels,
        boolean pull,
        boolean noCache,
        String network,
        List<SecretParameter> secrets,
        List<String> ssh,
        String builderName,
        int timeoutSeconds,
        List<String> extraArgs,
        Boolean load,
        String outputTimestamp,
        String provenance,
        boolean sbom,
        boolean cache,
        String cacheRef,
        String cacheTag,
        String cacheMode,
        List<String> cacheFrom,
        List<String> cacheTo,
        boolean cacheExportOnlyInCi,
        Boolean ci,
        boolean cacheStrict,
        boolean cacheExplain,
        boolean ecrCreateRepository,
        RepositorySettings ecrRepository,
        Path resultFile) {

    /** A {@code <secret>}: its id, and the file or the environment variable its value comes from. */
    public record SecretParameter(String id, String file, String env) {}

    public BuildRequest {
        tags = List.copyOf(tags);
        volatileBuildArgs = List.copyOf(volatileBuildArgs);
        buildArgs = ordered(buildArgs);
        platforms = List.copyOf(platforms);
        labels = ordered(labels);
        secrets = List.copyOf(secrets);
        ssh = List.copyOf(ssh);
        extraArgs = List.copyOf(extraArgs);
        cacheFrom = List.copyOf(cacheFrom);
        cacheTo = List.copyOf(cacheTo);
    }

    /** Keeps the user's order: it is the order of the command line. */
    private static Map<String, String> ordered(Map<String, String> map) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects a request; every value not given is the goal's default. */
    public static final class Builder {
        private Path moduleDirectory;
        private Path projectRoot;
        private ProjectInfo project;
        private String pluginVersion;
        private Path contextDirectory;
        private String dockerfile;
        private String registry;
        private String image;
        private List<String> tags = List.of();
        private boolean failWithoutDockerfile = false;
        private String branch;
        private String mainBranch = "main";
        private boolean cachePerBranch = true;
        private boolean fingerprint = true;
        private boolean fingerprintBaseImages = false;
        private List<String> volatileBuildArgs = List.of();
        private Map<String, String> buildArgs = Map.of();
        private String target;
        private List<String> platforms = List.of();
        private Map<String, String> labels = Map.of();
        private boolean ociLabels = true;
        private boolean pull = false;
        private boolean noCache = false;
        private String network;
        private List<SecretParameter> secrets = List.of();
        private List<String> ssh = List.of();
        private String builderName;
        private int timeoutSeconds = 3600;
        private List<String> extraArgs = List.of();
        private Boolean load;
        private String outputTimestamp;
        private String provenance = "false";
        private boolean sbom;
        private boolean cache = true;
        private String cacheRef;
        private String cacheTag = "buildcache";
        private String cacheMode = "max";
        private List<String> cacheFrom = List.of();
        private List<String> cacheTo = List.of();
        private boolean cacheExportOnlyInCi = false;
        private Boolean ci;
        private boolean cacheStrict = false;
        private boolean cacheExplain = true;
        private boolean ecrCreateRepository = false;
        private RepositorySettings ecrRepository = new RepositorySettings(false, true, 14, "buildcache", false);
        private Path resultFile;

        private Builder() {}

        public Builder moduleDirectory(Path value) {
            moduleDirectory = value;
            return this;
        }

        public Builder projectRoot(Path value) {
            projectRoot = value;
            return this;
        }

        public Builder project(ProjectInfo value) {
            project = value;
            return this;
        }

        public Builder pluginVersion(String value) {
            pluginVersion = value;
            return this;
        }

        public Builder contextDirectory(Path value) {
            contextDirectory = value;
            return this;
        }

        public Builder dockerfile(String value) {
            dockerfile = value;
            return this;
        }

        public Builder registry(String value) {
            registry = value;
            return this;
        }

        public Builder image(String value) {
            image = value;
            return this;
        }

        public Builder tags(List<String> value) {
            tags = value == null ? List.of() : value;
            return this;
        }

        public Builder failWithoutDockerfile(boolean value) {
            failWithoutDockerfile = value;
            return this;
        }

        public Builder branch(String value) {
            branch = value;
            return this;
        }

        public Builder mainBranch(String value) {
            mainBranch = value;
            return this;
        }

        public Builder cachePerBranch(boolean value) {
            cachePerBranch = value;
            return this;
        }

        public Builder fingerprint(boolean value) {
            fingerprint = value;
            return this;
        }

        public Builder fingerprintBaseImages(boolean value) {
            fingerprintBaseImages = value;
            return this;
        }

        public Builder volatileBuildArgs(List<String> value) {
            volatileBuildArgs = value == null ? List.of() : value;
            return this;
        }

        public Builder buildArgs(Map<String, String> value) {
            buildArgs = value == null ? Map.of() : value;
            return this;
        }

        public Builder target(String value) {
            target = value;
            return this;
        }

        public Builder platforms(List<String> value) {
            platforms = value == null ? List.of() : value;
            return this;
        }

        public Builder labels(Map<String, String> value) {
            labels = value == null ? Map.of() : value;
            return this;
        }

        public Builder ociLabels(boolean value) {
            ociLabels = value;
            return this;
        }

        public Builder pull(boolean value) {
            pull = value;
            return this;
        }

        public Builder noCache(boolean value) {
            noCache = value;
            return this;
        }

        public Builder network(String value) {
            network = value;
            return this;
        }

        public Builder secrets(List<SecretParameter> value) {
            secrets = value == null ? List.of() : value;
            return this;
        }

        public Builder ssh(List<String> value) {
            ssh = value == null ? List.of() : value;
            return this;
        }

        public Builder builderName(String value) {
            builderName = value;
            return this;
        }

        public Builder timeoutSeconds(int value) {
            timeoutSeconds = value;
            return this;
        }

        public Builder extraArgs(List<String> value) {
            extraArgs = value == null ? List.of() : value;
            return this;
        }

        public Builder load(Boolean value) {
            load = value;
            return this;
        }

        public Builder outputTimestamp(String value) {
            outputTimestamp = value;
            return this;
        }

        public Builder provenance(String value) {
            provenance = value;
            return this;
        }

        public Builder sbom(boolean value) {
            sbom = value;
            return this;
        }

        public Builder cache(boolean value) {
            cache = value;
            return this;
        }

        public Builder cacheRef(String value) {
            cacheRef = value;
            return this;
        }

        public Builder cacheTag(String value) {
            cacheTag = value;
            return this;
        }

        public Builder cacheMode(String value) {
            cacheMode = value;
            return this;
        }

        public Builder cacheFrom(List<String> value) {
            cacheFrom = value == null ? List.of() : value;
            return this;
        }

        public Builder cacheTo(List<String> value) {
            cacheTo = value == null ? List.of() : value;
            return this;
        }

        public Builder cacheExportOnlyInCi(boolean value) {
            cacheExportOnlyInCi = value;
            return this;
        }

        public Builder ci(Boolean value) {
            ci = value;
            return this;
        }

        public Builder cacheStrict(boolean value) {
            cacheStrict = value;
            return this;
        }

        public Builder cacheExplain(boolean value) {
            cacheExplain = value;
            return this;
        }

        public Builder ecrCreateRepository(boolean value) {
            ecrCreateRepository = value;
            return this;
        }

        public Builder ecrRepository(RepositorySettings value) {
            ecrRepository = value;
            return this;
        }

        public Builder resultFile(Path value) {
            resultFile = value;
            return this;
        }

        public BuildRequest build() {
            return new BuildRequest(
                    moduleDirectory,
                    projectRoot,
                    project,
                    pluginVersion,
                    contextDirectory,
                    dockerfile,
                    registry,
                    image,
                    tags,
                    failWithoutDockerfile,
                    branch,
                    mainBranch,
                    cachePerBranch,
                    fingerprint,
                    fingerprintBaseImages,
                    volatileBuildArgs,
                    buildArgs,
                    target,
                    platforms,
                    labels,
                    ociLabels,
                    pull,
                    noCache,
                    network,
                    secrets,
                    ssh,
                    builderName,
                    timeoutSeconds,
                    extraArgs,
                    load,
                    outputTimestamp,
                    provenance,
                    sbom,
                    cache,
                    cacheRef,
                    cacheTag,
                    cacheMode,
                    cacheFrom,
                    cacheTo,
                    cacheExportOnlyInCi,
                    ci,
                    cacheStrict,
                    cacheExplain,
                    ecrCreateRepository,
                    ecrRepository,
                    resultFile);
        }
    }
}
