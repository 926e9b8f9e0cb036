package io.github.layercache.image;

import static io.github.layercache.core.Text.blankToNull;

import io.github.layercache.auth.RepositorySettings;
import io.github.layercache.core.InvalidSpecException;
import io.github.layercache.spec.ProjectInfo;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code build} goal's configuration as the user wrote it, before any rule applies: what
 * {@link BuildPlanner} turns into a validated build. The goal hands its parameters over in a few
 * groups, each component named as the parameter it carries (whose Javadoc, on the goal, says what
 * it does and whose default the goal declares); a parameter not configured arrives as null or empty.
 * {@link #check()} checks what can be checked as written; the rest is checked once derived.
 *
 * @param module where the module is and what it is called
 * @param image what the image is made from and named
 * @param buildx how buildx builds it
 * @param cache the layer cache and the branch it belongs to
 * @param fingerprint the skip of a build whose inputs the registry already has
 * @param ecr the image's ECR repository
 * @param resultFile where the result document goes
 */
public record BuildRequest(
        Module module,
        Image image,
        Buildx buildx,
        Cache cache,
        FingerprintOptions fingerprint,
        Ecr ecr,
        Path resultFile) {

    /** Checks each value as the user wrote it, before anything is derived from it; names the parameter to fix. */
    void check() throws InvalidSpecException {
        module.releaseTime(); // reads outputTimestamp, or says why it cannot
        buildx.check();
    }

    /**
     * The module: facts Maven knows, and the parameters about the module itself.
     *
     * @param directory the module's directory (relative secret files are resolved against it)
     * @param projectRoot the top of the project: the context must lie inside it; null skips that check
     * @param project the facts about the module that names and OCI labels come from
     * @param pluginVersion the plugin's own version, part of every fingerprint
     * @param outputTimestamp Maven's {@code project.build.outputTimestamp}, or null
     */
    public record Module(
            Path directory,
            Path projectRoot,
            ProjectInfo project,
            String pluginVersion,
            boolean failWithoutDockerfile,
            String outputTimestamp) {

        /**
         * The release's time, from {@code outputTimestamp}: an ISO-8601 instant or seconds since the
         * epoch; a single character (Maven's way to switch it off) or nothing gives none.
         */
        Optional<Instant> releaseTime() throws InvalidSpecException {
            String value = blankToNull(outputTimestamp);
            if (value == null || value.length() < 2) {
                return Optional.empty();
            }
            if (value.chars().allMatch(Character::isDigit)) {
                return Optional.of(Instant.ofEpochSecond(Long.parseLong(value)));
            }
            try {
                return Optional.of(OffsetDateTime.parse(value).toInstant());
            } catch (DateTimeParseException e) {
                throw new InvalidSpecException(
                        "outputTimestamp",
                        "Invalid project.build.outputTimestamp '" + value + "': write an ISO-8601 time such as"
                                + " 2026-11-22T00:00:00Z, or seconds since 1970.");
            }
        }
    }

    /** What the image is made from and what it is called: the parameters of the same names. */
    public record Image(
            Path contextDirectory,
            String dockerfile,
            String registry,
            String image,
            List<String> tags,
            Map<String, String> labels,
            boolean ociLabels) {
        public Image {
            tags = list(tags);
            labels = ordered(labels);
        }
    }

    /**
     * How buildx builds the image: the parameters of the same names.
     *
     * @param builder the buildx builder: the parameter, else the one {@code buildx-setup} prepared, else null
     */
    public record Buildx(
            Map<String, String> buildArgs,
            String target,
            List<String> platforms,
            boolean pull,
            boolean noCache,
            String network,
            List<SecretParameter> secrets,
            List<String> ssh,
            String builder,
            int timeoutSeconds,
            List<String> extraArgs,
            Boolean load,
            String provenance,
            boolean sbom) {
        private static final Pattern ARG_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
        private static final Pattern PLATFORM = Pattern.compile("[a-z0-9]+/[a-z0-9_]+(?:/[a-z0-9]+)?");

        public Buildx {
            buildArgs = ordered(buildArgs);
            platforms = list(platforms);
            secrets = list(secrets);
            ssh = list(ssh);
            extraArgs = list(extraArgs);
        }

        /** Checks the build arguments' names, the platforms, the timeout and the provenance. */
        void check() throws InvalidSpecException {
            for (String name : buildArgs.keySet()) {
                if (!ARG_NAME.matcher(name).matches()) {
                    throw new InvalidSpecException(
                            "buildArgs", "Invalid build argument name '" + name + "': use letters, digits and '_'.");
                }
            }
            for (String platform : platforms) {
                if (!PLATFORM.matcher(platform).matches()) {
                    throw new InvalidSpecException(
                            "platforms",
                            "Invalid platform '" + platform
                                    + "': write os/arch[/variant], e.g. linux/amd64 or linux/arm64.");
                }
            }
            if (timeoutSeconds <= 0) {
                throw new InvalidSpecException("timeoutSeconds", "The timeout must be a positive number of seconds.");
            }
            if (!List.of("false", "true", "mode=min", "mode=max").contains(provenanceMode())) {
                throw new InvalidSpecException(
                        "provenance",
                        "Invalid provenance '" + provenance + "': use false, true, mode=min or mode=max.");
            }
        }

        /** The provenance as buildx takes it: stripped, and {@code false} when blank (an empty {@code -D} value). */
        String provenanceMode() {
            return Objects.requireNonNullElse(blankToNull(provenance), "false");
        }
    }

    /** The layer cache, and the branch and CI facts it depends on: the parameters of the same names. */
    public record Cache(
            boolean cache,
            String cacheRef,
            String cacheTag,
            String cacheMode,
            List<String> cacheFrom,
            List<String> cacheTo,
            boolean cacheExportOnlyInCi,
            boolean cacheStrict,
            boolean cacheExplain,
            String branch,
            String mainBranch,
            boolean cachePerBranch,
            Boolean ci) {
        public Cache {
            cacheFrom = list(cacheFrom);
            cacheTo = list(cacheTo);
        }
    }

    /** The fingerprint skip: the parameters of the same names. */
    public record FingerprintOptions(
            boolean fingerprint, boolean fingerprintBaseImages, List<String> volatileBuildArgs) {
        public FingerprintOptions {
            volatileBuildArgs = list(volatileBuildArgs);
        }
    }

    /**
     * The image's ECR repository.
     *
     * @param ecrCreateRepository create it when it is missing
     * @param repository how it is set up: the {@code ecr*} parameters
     */
    public record Ecr(boolean ecrCreateRepository, RepositorySettings repository) {}

    /** A {@code <secret>}: its id, and the file or the environment variable its value comes from. */
    public record SecretParameter(String id, String file, String env) {}

    private static <T> List<T> list(List<T> values) {
        return values == null ? List.of() : List.copyOf(values);
    }

    /** Keeps the user's order: it is the order of the command line. */
    private static Map<String, String> ordered(Map<String, String> map) {
        return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
