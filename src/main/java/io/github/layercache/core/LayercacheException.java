package io.github.layercache.core;

import java.util.Optional;

/**
 * A problem the user can act on; its message says what went wrong and what to change. When a
 * plugin parameter is the thing to change, {@link #parameter()} names it so that the Maven side
 * can point at its XML element and {@code -D} property.
 */
public class LayercacheException extends Exception {

    private final String parameter;

    public LayercacheException(String message) {
        this(message, (String) null);
    }

    public LayercacheException(String message, String parameter) {
        super(message);
        this.parameter = parameter;
    }

    public LayercacheException(String message, String parameter, Throwable cause) {
        super(message, cause);
        this.parameter = parameter;
    }

    /** The docker CLI could not be started at all. */
    public static LayercacheException cannotRunDocker(String docker, java.io.IOException cause) {
        return new LayercacheException(
                "Cannot run '" + docker + "': " + cause.getMessage()
                        + ". Install the Docker CLI with the buildx plugin, or point the plugin at it.",
                "dockerExecutable",
                cause);
    }

    /** The plugin parameter to change, e.g. {@code dockerfile}, when there is one. */
    public Optional<String> parameter() {
        return Optional.ofNullable(parameter);
    }
}
