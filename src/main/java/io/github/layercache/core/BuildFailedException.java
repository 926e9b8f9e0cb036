package io.github.layercache.core;

/** {@code docker buildx build} ran and failed; the message carries the failing step and its last output. */
public class BuildFailedException extends LayercacheException {

    public BuildFailedException(String message) {
        super(message);
    }

    public BuildFailedException(String message, String parameter) {
        super(message, parameter);
    }
}
