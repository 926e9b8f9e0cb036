package io.github.layercache.javaapp;

/**
 * The layers of a Java application, each a directory of the {@code java-app} build context, in the
 * order a Dockerfile copies them: what changes least often first. Each directory holds its files at
 * their place in the image ({@code classes/app/classes/...}), so that {@code COPY --link
 * --from=java-app classes/ /} creates no directory of its own: BuildKit would give such a directory
 * the time of the build, and the layer a new digest every time.
 */
public enum AppLayer {
    /** Release jars of the runtime class path: change when a dependency is bumped. */
    DEPENDENCIES("dependencies", "libs"),
    /** {@code -SNAPSHOT} jars, which change more often than releases. */
    SNAPSHOT_DEPENDENCIES("snapshot-dependencies", "libs"),
    /** Jars of the other modules of the Maven reactor this module depends on. */
    REACTOR_MODULES("reactor-modules", "libs"),
    /** Everything in the module's output directory that is not a class file. */
    RESOURCES("resources", "resources"),
    /** The module's own class files: the layer a one-line change re-creates. */
    CLASSES("classes", "classes");

    private final String directory;
    private final String inImage;

    AppLayer(String directory, String inImage) {
        this.directory = directory;
        this.inImage = inImage;
    }

    /** The layer's directory in the build context. */
    public String directory() {
        return directory;
    }

    /** Where the layer's files go in the image, below the application root ({@code libs} for {@code /app/libs}). */
    public String inImage() {
        return inImage;
    }
}
