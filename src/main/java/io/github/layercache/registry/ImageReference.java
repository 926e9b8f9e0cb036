package io.github.layercache.registry;

import io.github.layercache.core.InvalidSpecException;
import io.github.layercache.core.Text;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A validated image repository such as {@code 123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders}
 * or {@code 127.0.0.1:5000/team/app}, without tag or digest.
 */
public record ImageReference(String registry, String path) {

    private static final String COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    private static final Pattern PATH = Pattern.compile(COMPONENT + "(?:/" + COMPONENT + ")*");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::[0-9]+)?");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern INVALID_NAME_CHARS = Pattern.compile("[^a-z0-9._-]+");

    /**
     * Parses a repository; the first component is a registry host when it has a dot or a port or is
     * {@code localhost}, as Docker decides it.
     *
     * @param parameter the plugin parameter the value came from, for the error message
     */
    public static ImageReference parse(String value, String parameter) throws InvalidSpecException {
        if (!Text.isSet(value)) {
            throw new InvalidSpecException(parameter, "The image repository is empty.");
        }
        String trimmed = value.trim();
        if (trimmed.contains("@") || lastSegment(trimmed).contains(":")) {
            throw new InvalidSpecException(
                    parameter,
                    "Invalid image repository '" + value
                            + "': give the repository without tag or digest (tags go in <tags>).");
        }
        String registry = explicitRegistry(trimmed).orElse(null);
        String path = registry == null ? trimmed : trimmed.substring(registry.length() + 1);
        if (registry != null && !HOST.matcher(registry).matches()) {
            throw new InvalidSpecException(
                    parameter, "Invalid registry host '" + registry + "' in image repository '" + value + "'.");
        }
        if (!PATH.matcher(path).matches()) {
            throw new InvalidSpecException(
                    parameter,
                    "Invalid image repository '" + value + "': path components must be lowercase letters, digits"
                            + " and single separators (., _, -), e.g. 'registry.example.com/team/app'.");
        }
        return new ImageReference(registry, path);
    }

    /**
     * The registry host an image name starts with, as Docker decides it: the first component when it has a dot or a
     * port or is {@code localhost}; empty when the name is Docker Hub's.
     */
    public static Optional<String> explicitRegistry(String name) {
        int slash = name.indexOf('/');
        if (slash > 0) {
            String first = name.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                return Optional.of(first);
            }
        }
        return Optional.empty();
    }

    /** Turns a Maven artifactId into a valid repository name component ({@code My_App} becomes {@code my_app}). */
    public static String repositoryName(String artifactId) {
        String lower =
                INVALID_NAME_CHARS.matcher(artifactId.toLowerCase(Locale.ROOT)).replaceAll("-");
        return lower.replaceAll("^[._-]+|[._-]+$", "").replaceAll("([._-])[._-]+", "$1");
    }

    /** Turns a version into a valid tag ({@code 1.0+build.5} becomes {@code 1.0-build.5}). */
    public static String tagFrom(String version) {
        String tag = version.replaceAll("[^A-Za-z0-9_.-]", "-");
        if (tag.startsWith(".") || tag.startsWith("-")) {
            tag = "v" + tag;
        }
        return tag.length() > 128 ? tag.substring(0, 128) : tag;
    }

    /** Checks a tag against Docker's rules. */
    public static String validTag(String tag, String parameter) throws InvalidSpecException {
        if (tag == null || !TAG.matcher(tag.trim()).matches()) {
            throw new InvalidSpecException(
                    parameter,
                    "Invalid image tag '" + tag + "': a tag is 1 to 128 letters, digits, '_', '.' or '-',"
                            + " and does not start with '.' or '-'.");
        }
        return tag.trim();
    }

    public Optional<String> registryHost() {
        return Optional.ofNullable(registry);
    }

    /** The repository as Docker names it, e.g. {@code 127.0.0.1:5000/app}. */
    public String name() {
        return registry == null ? path : registry + "/" + path;
    }

    public String withTag(String tag) {
        return name() + ":" + tag;
    }

    @Override
    public String toString() {
        return name();
    }

    private static String lastSegment(String value) {
        return value.substring(value.lastIndexOf('/') + 1);
    }
}
