package io.github.layercache.maven;

import io.github.layercache.image.BuildRequest;

/**
 * A {@code <secret>} element: the {@code id} a {@code RUN --mount=type=secret} asks for, and the
 * file or environment variable its value comes from.
 */
public class Secret {

    /** The secret's id in the Dockerfile. */
    private String id;

    /** A file holding the value. */
    private String file;

    /** An environment variable holding the value. */
    private String env;

    String id() {
        return id;
    }

    String file() {
        return file;
    }

    String env() {
        return env;
    }

    BuildRequest.SecretParameter toParameter() {
        return new BuildRequest.SecretParameter(id, file, env);
    }
}
