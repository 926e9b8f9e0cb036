package io.github.layercache.docker;

import io.github.layercache.core.BuildFailedException;
import io.github.layercache.core.LayercacheException;
import io.github.layercache.process.CapturedRun;
import io.github.layercache.spec.BuilderSpec;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Reads what docker, buildx and the registry answered when a command failed, and says what to change. */
public final class DockerErrors {

    private static final String INSTALL_BUILDX =
            "Install it (Debian: docker-buildx, Docker's packages: docker-buildx-plugin).";

    private static final List<String> AUTH_REFUSALS =
            List.of("denied", "unauthorized", "authentication required", "no basic auth credentials", "forbidden");
    private static final List<String> TAG_REFUSALS = List.of("immutable", "cannot be overwritten", "tag invalid");
    private static final List<String> NAME_REFUSALS =
            List.of("name unknown", "repository does not exist", "invalid reference format", "name invalid");

    private DockerErrors() {}

    /** The last output line that says what went wrong, without docker's {@code ERROR:}, for one-line messages. */
    public static String lastErrorLine(CapturedRun run) {
        List<String> lines = run.lines();
        String lastLine = null;
        for (int i = lines.size() - 1; i >= 0; i--) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) {
                continue;
            }
            if (lastLine == null) {
                lastLine = line;
            }
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.contains("error")
                    || lower.contains("denied")
                    || lower.contains("failed")
                    || lower.contains("not a docker command")) {
                return line.replaceFirst("^ERROR:\\s*", "");
            }
        }
        return lastLine == null ? "(no output)" : lastLine;
    }

    /** The registry has no such tag or repository (rather than being unreachable or refusing). */
    public static boolean notFound(String reason) {
        String lower = reason.toLowerCase(Locale.ROOT);
        return lower.contains("not found") || lower.contains("manifest unknown") || lower.contains("name unknown");
    }

    /** What to do about a push the registry refused, which retrying cannot fix; empty for a failure worth retrying. */
    public static Optional<String> pushRefusal(String reason) {
        String lower = reason.toLowerCase(Locale.ROOT);
        if (TAG_REFUSALS.stream().anyMatch(lower::contains)) {
            return Optional.of("The tag already exists and the repository does not let it move (immutable tags):"
                    + " push a new tag, such as the version or the commit, or make the tags mutable.");
        }
        if (AUTH_REFUSALS.stream().anyMatch(lower::contains)) {
            return Optional.of("Check the credentials for this registry and that they may push to the repository.");
        }
        if (NAME_REFUSALS.stream().anyMatch(lower::contains)) {
            return Optional.of("Check the image repository name, and create the repository if the registry"
                    + " does not create it on push (Amazon ECR does not).");
        }
        return Optional.empty();
    }

    /** Why the registry refused a cache export and what to change, as a sentence to append; "" when it does not say. */
    public static String cacheExportFix(String message) {
        String lower = message.toLowerCase(Locale.ROOT);
        if (lower.contains("immutable") || lower.contains("cannot be overwritten") || lower.contains("tag invalid")) {
            return " The repository keeps its tags immutable, so the cache tag, which moves with every export,"
                    + " was written once and can never be updated. Let the cache tags move (ECR: tag mutability"
                    + " IMMUTABLE_WITH_EXCLUSION with the filters buildcache* and fingerprint-*), or give the plugin"
                    + " ecr:DescribeRepositories so that it puts the cache in <repository>-cache, or set cacheRef to a"
                    + " repository with mutable tags.";
        }
        if (lower.contains("401") || lower.contains("unauthorized")) {
            return " The registry did not accept the credentials: for ECR check the AWS credentials the build runs"
                    + " with; for another registry add a settings.xml server whose id is its host.";
        }
        if (lower.contains("403") || lower.contains("denied") || lower.contains("forbidden")) {
            return " The credentials may read but not write there: allow pushes to that repository (ECR:"
                    + " ecr:InitiateLayerUpload, ecr:UploadLayerPart, ecr:CompleteLayerUpload, ecr:PutImage).";
        }
        if (lower.contains("name unknown") || lower.contains("repository") && lower.contains("not exist")) {
            return " The repository does not exist: create it, or set ecrCreateRepository.";
        }
        return "";
    }

    /**
     * A failed {@code docker buildx build} whose last output lines show a known cause (no buildx, a docker driver that
     * cannot export the cache, no such builder, no daemon); empty when they do not.
     *
     * @param builder the builder the build named, or null
     */
    public static Optional<BuildFailedException> buildFailure(
            List<String> lastLines, String executable, String builder) {
        String output = String.join("\n", lastLines);
        if (output.contains("'buildx' is not a docker command") || output.contains("unknown command: docker buildx")) {
            return Optional.of(new BuildFailedException(
                    "The docker buildx plugin is not installed for '" + executable + "'. " + INSTALL_BUILDX));
        }
        if (output.toLowerCase(Locale.ROOT).matches("(?s).*cache export.*not supported for (the )?docker driver.*")) {
            return Optional.of(new BuildFailedException(
                    "The builder cannot export a registry cache: the docker driver needs the containerd image store"
                            + " for that. Turn the containerd image store on, or use a docker-container builder.",
                    "builder"));
        }
        if (output.contains("no builder") && output.contains("found") && builder != null) {
            return Optional.of(new BuildFailedException(
                    "The buildx builder '" + builder + "' does not exist. Create it (the buildx-setup goal,"
                            + " or docker buildx create --name " + builder + "), or name an existing one.",
                    "builder"));
        }
        if (output.contains("Cannot connect to the Docker daemon")) {
            return Optional.of(new BuildFailedException("The Docker daemon is not running or not reachable ("
                    + firstLineContaining(lastLines, "Cannot connect") + "). Start Docker, or set DOCKER_HOST."));
        }
        return Optional.empty();
    }

    /** {@code docker buildx version} failed: docker has no buildx plugin. */
    public static LayercacheException buildxUnavailable(String executable, CapturedRun run) {
        return new LayercacheException("The docker buildx plugin is not available for '" + executable + "' ("
                + lastErrorLine(run) + "). " + INSTALL_BUILDX);
    }

    /** A builder could not be created or booted; a BuildKit image that cannot be pulled is the usual cause. */
    public static LayercacheException builderBootFailure(BuilderSpec spec, CapturedRun run) {
        String message = "The buildx builder '" + spec.name() + "' could not boot: " + lastErrorLine(run) + ".";
        if (spec.pullsBuildkitImage()) {
            message += " The " + spec.driver() + " driver runs the BuildKit image "
                    + (spec.buildkitImage() == null
                            ? "moby/buildkit:buildx-stable-1 from Docker Hub"
                            : spec.buildkitImage())
                    + ", which must be pullable from this machine: point the BuildKit image option at a copy in a"
                    + " registry you can reach (e.g. a private ECR repository).";
        }
        return new LayercacheException(message, spec.pullsBuildkitImage() ? "buildkitImage" : null);
    }

    private static String firstLineContaining(List<String> lines, String text) {
        return lines.stream()
                .filter(l -> l.contains(text))
                .findFirst()
                .orElse(text)
                .trim();
    }
}
