package io.github.layercache.spec;

import static io.github.layercache.core.Text.blankToNull;

import io.github.layercache.cache.CacheBackend;
import io.github.layercache.cache.CacheSpec;
import io.github.layercache.core.InvalidSpecException;
import io.github.layercache.registry.ImageReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * An immutable, validated description of one {@code docker buildx build}. Made only through
 * {@link Builder#build()}, which checks the input and names the parameter to fix.
 */
public record BuildSpec(
        Path contextDirectory,
        Path dockerfile,
        ImageReference image,
        List<String> tags,
        Map<String, String> buildArgs,
        String target,
        List<String> platforms,
        Map<String, String> labels,
        boolean pull,
        boolean noCache,
        String network,
        List<BuildSecret> secrets,
        List<String> ssh,
        String builderName,
        Duration timeout,
        List<String> extraArgs,
        CacheSpec cache,
        Output output,
        Long sourceDateEpoch,
        String provenance,
        boolean sbom,
        Path metadataFile,
        String fingerprintTag,
        Map<String, Path> buildContexts) {

    /** Where the built image goes. */
    public enum Output {
        /** Into the local image store ({@code --load}); {@code push} then runs {@code docker push}. */
        LOAD,
        /** Straight from BuildKit to the registry, by digest and untagged; {@code push} then tags it there. */
        REGISTRY,
        /** Nowhere: the build only fills the cache. */
        NONE
    }

    private static final Pattern SECRET_LIKE = Pattern.compile("PASSWORD|PASSWD|TOKEN|SECRET|KEY|CREDENTIAL");

    public BuildSpec {
        tags = List.copyOf(tags);
        buildArgs = ordered(buildArgs);
        platforms = List.copyOf(platforms);
        labels = ordered(labels);
        secrets = List.copyOf(secrets);
        ssh = List.copyOf(ssh);
        extraArgs = List.copyOf(extraArgs);
        buildContexts = Collections.unmodifiableMap(new LinkedHashMap<>(buildContexts));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Credentials the cache specs carry (an S3 secret key): masked wherever the command is shown. */
    public Set<String> secretValues() {
        Set<String> values = new LinkedHashSet<>();
        cache.imports().forEach(c -> values.addAll(c.secretValues()));
        cache.exports().forEach(c -> values.addAll(c.secretValues()));
        return values;
    }

    /**
     * Build arguments whose names look like secrets ({@code NPM_TOKEN}, {@code DB_PASSWORD}): the user
     * is warned, and their values are masked wherever the command line is shown.
     */
    public List<String> secretLikeBuildArgs() {
        return buildArgs.keySet().stream()
                .filter(name ->
                        SECRET_LIKE.matcher(name.toUpperCase(Locale.ROOT)).find())
                .toList();
    }

    /** The same build with its image sent elsewhere (the docker driver cannot push by digest). */
    public BuildSpec withOutput(Output value) {
        return copy(value, fingerprintTag, buildContexts);
    }

    /** The same build, also tagged with a fingerprint. */
    public BuildSpec withFingerprintTag(String tag) {
        return copy(output, tag, buildContexts);
    }

    /** The same build with one more named build context ({@code --build-context name=directory}). */
    public BuildSpec withBuildContext(String name, Path directory) {
        Map<String, Path> contexts = new LinkedHashMap<>(buildContexts);
        contexts.put(name, directory.toAbsolutePath().normalize());
        return copy(output, fingerprintTag, contexts);
    }

    /**
     * The same build without the registry caches on these hosts (it cannot log in to them); the
     * other caches stay.
     */
    public BuildSpec withoutRegistryCacheAt(Set<String> hosts) {
        Predicate<CacheBackend> reachable = backend -> !backend.isRegistry()
                || backend.ref()
                        .map(DockerfileBaseImages::registryHost)
                        .filter(hosts::contains)
                        .isEmpty();
        CacheSpec kept = new CacheSpec(
                cache.imports().stream().filter(reachable).toList(),
                cache.exports().stream().filter(reachable).toList(),
                cache.strict(),
                cache.exportOffReason().orElse(null));
        return copy(output, fingerprintTag, buildContexts, kept);
    }

    /** The same build with its registry caches in repository {@code from} moved to repository {@code to}. */
    public BuildSpec withCacheMoved(String from, String to) {
        UnaryOperator<CacheBackend> move = backend -> backend.ref()
                .filter(ref -> backend.isRegistry() && ref.startsWith(from + ":"))
                .map(ref -> backend.with("ref", to + ref.substring(from.length())))
                .orElse(backend);
        CacheSpec moved = new CacheSpec(
                cache.imports().stream().map(move).toList(),
                cache.exports().stream().map(move).toList(),
                cache.strict(),
                cache.exportOffReason().orElse(null));
        return copy(output, fingerprintTag, buildContexts, moved);
    }

    private BuildSpec copy(Output newOutput, String newFingerprintTag, Map<String, Path> newBuildContexts) {
        return copy(newOutput, newFingerprintTag, newBuildContexts, cache);
    }

    private BuildSpec copy(
            Output newOutput, String newFingerprintTag, Map<String, Path> newBuildContexts, CacheSpec newCache) {
        return new BuildSpec(
                contextDirectory,
                dockerfile,
                image,
                tags,
                buildArgs,
                target,
                platforms,
                labels,
                pull,
                noCache,
                network,
                secrets,
                ssh,
                builderName,
                timeout,
                extraArgs,
                newCache,
                newOutput,
                sourceDateEpoch,
                provenance,
                sbom,
                metadataFile,
                newFingerprintTag,
                newBuildContexts);
    }

    /** Every {@code repository:tag} the user asked for (the fingerprint tag is not one of them). */
    public List<String> taggedNames() {
        return tags.stream().map(image::withTag).toList();
    }

    private static Map<String, String> ordered(Map<String, String> map) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    /**
     * Collects the parts of a {@link BuildSpec} and checks those known only once derived: the context,
     * the Dockerfile, the image and the tags. The values the user wrote as they are (platforms, build
     * arguments, timeout, provenance) are checked with the goal's request, before.
     */
    public static final class Builder {
        private Path contextDirectory;
        private Path dockerfile;
        private ImageReference image;
        private final List<String> tags = new ArrayList<>();
        private final Map<String, String> buildArgs = new LinkedHashMap<>();
        private String target;
        private final List<String> platforms = new ArrayList<>();
        private final Map<String, String> labels = new LinkedHashMap<>();
        private boolean pull;
        private boolean noCache;
        private String network;
        private final List<BuildSecret> secrets = new ArrayList<>();
        private final List<String> ssh = new ArrayList<>();
        private String builderName;
        private Duration timeout;
        private final List<String> extraArgs = new ArrayList<>();
        private CacheSpec cache = CacheSpec.none();
        private Output output = Output.LOAD;
        private Long sourceDateEpoch;
        private String provenance;
        private boolean sbom;
        private Path metadataFile;
        private String fingerprintTag;
        private Path projectRoot;

        private Builder() {}

        public Builder contextDirectory(Path value) {
            contextDirectory = value;
            return this;
        }

        /** The Dockerfile; {@code null} means {@code Dockerfile} in the context directory. */
        public Builder dockerfile(Path value) {
            dockerfile = value;
            return this;
        }

        public Builder image(ImageReference value) {
            image = value;
            return this;
        }

        public Builder tags(List<String> values) {
            tags.addAll(values);
            return this;
        }

        public Builder buildArgs(Map<String, String> values) {
            buildArgs.putAll(values);
            return this;
        }

        public Builder target(String value) {
            target = blankToNull(value);
            return this;
        }

        public Builder platforms(List<String> values) {
            platforms.addAll(values);
            return this;
        }

        public Builder labels(Map<String, String> values) {
            labels.putAll(values);
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
            network = blankToNull(value);
            return this;
        }

        /** A secret checked when it was made ({@link BuildSecret#of}). */
        public Builder secret(BuildSecret value) {
            secrets.add(value);
            return this;
        }

        public Builder ssh(List<String> values) {
            ssh.addAll(values);
            return this;
        }

        /** The buildx builder; {@code null} means buildx's current one. */
        public Builder builderName(String value) {
            builderName = blankToNull(value);
            return this;
        }

        /** How long the build may run; required. */
        public Builder timeout(Duration value) {
            timeout = value;
            return this;
        }

        public Builder extraArgs(List<String> values) {
            extraArgs.addAll(values);
            return this;
        }

        public Builder cache(CacheSpec value) {
            cache = value;
            return this;
        }

        public Builder output(Output value) {
            output = value;
            return this;
        }

        /** The build's timestamps (Maven's {@code project.build.outputTimestamp}), or null to leave them. */
        public Builder sourceDateEpoch(Long value) {
            sourceDateEpoch = value;
            return this;
        }

        /** {@code false}, {@code true}, {@code mode=min} or {@code mode=max}; required. */
        public Builder provenance(String value) {
            provenance = value;
            return this;
        }

        public Builder sbom(boolean value) {
            sbom = value;
            return this;
        }

        public Builder metadataFile(Path value) {
            metadataFile = value;
            return this;
        }

        /** The top of the project: the context must lie inside it. {@code null} skips that check. */
        public Builder projectRoot(Path value) {
            projectRoot = value;
            return this;
        }

        /** One more tag, marking the image with the fingerprint of its inputs; not one of the user's tags. */
        public Builder fingerprintTag(String value) {
            fingerprintTag = value;
            return this;
        }

        public BuildSpec build() throws InvalidSpecException {
            if (contextDirectory == null) {
                throw new InvalidSpecException("contextDirectory", "No build context directory is set.");
            }
            if (projectRoot != null
                    && !contextDirectory
                            .toAbsolutePath()
                            .normalize()
                            .startsWith(projectRoot.toAbsolutePath().normalize())) {
                throw new InvalidSpecException(
                        "contextDirectory",
                        "The build context " + contextDirectory.toAbsolutePath().normalize()
                                + " is outside the project ("
                                + projectRoot.toAbsolutePath().normalize()
                                + "): BuildKit would receive files that are not"
                                + " part of it. Point the context at a directory inside the project.");
            }
            if (!Files.isDirectory(contextDirectory)) {
                throw new InvalidSpecException(
                        "contextDirectory",
                        "The build context directory "
                                + contextDirectory.toAbsolutePath().normalize() + " does not exist.");
            }
            Path file =
                    dockerfile != null ? contextDirectory.resolve(dockerfile) : contextDirectory.resolve("Dockerfile");
            if (!Files.isRegularFile(file)) {
                throw new InvalidSpecException(
                        "dockerfile",
                        "Dockerfile not found: " + file.toAbsolutePath().normalize()
                                + (dockerfile == null
                                        ? ": the build context (<contextDirectory>) holds no Dockerfile."
                                        : "."));
            }
            if (image == null) {
                throw new InvalidSpecException("image", "No image repository is set.");
            }
            if (tags.isEmpty()) {
                throw new InvalidSpecException("tags", "No image tag is set.");
            }
            List<String> validTags = new ArrayList<>();
            for (String tag : tags) {
                String valid = ImageReference.validTag(tag, "tags");
                if (!validTags.contains(valid)) {
                    validTags.add(valid);
                }
            }
            if (timeout == null) {
                throw new IllegalStateException("timeout is required");
            }
            if (provenance == null) {
                throw new IllegalStateException("provenance is required");
            }
            if (metadataFile == null) {
                throw new IllegalStateException("metadataFile is required");
            }
            return new BuildSpec(
                    contextDirectory.toAbsolutePath().normalize(),
                    file.toAbsolutePath().normalize(),
                    image,
                    validTags,
                    buildArgs,
                    target,
                    platforms,
                    labels,
                    pull,
                    noCache,
                    network,
                    secrets,
                    ssh,
                    builderName,
                    timeout,
                    extraArgs,
                    cache,
                    output,
                    sourceDateEpoch,
                    provenance,
                    sbom,
                    metadataFile,
                    fingerprintTag,
                    Map.of());
        }
    }
}
