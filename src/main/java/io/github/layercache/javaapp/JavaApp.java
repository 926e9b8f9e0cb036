package io.github.layercache.javaapp;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A module's Java application as the layout needs it: its runtime class path and its output
 * directory. Knows nothing of Maven; the {@code build} goal fills it from the project.
 *
 * @param classPath the runtime dependencies in class path order
 * @param outputDirectory the module's compiled classes and resources ({@code target/classes})
 * @param mainClass the class to run, or empty to look for one in the output directory
 * @param appRoot where the Dockerfile puts the layers in the image, e.g. {@code /app}
 */
public record JavaApp(List<Dependency> classPath, Path outputDirectory, Optional<String> mainClass, String appRoot) {

    public JavaApp {
        classPath = List.copyOf(classPath);
    }

    /**
     * One entry of the runtime class path.
     *
     * @param file the jar (or a reactor module's class directory when it was not packaged)
     * @param fileName the name it gets in the image, e.g. {@code spring-web-6.2.12.jar}
     * @param groupId the group, used to tell apart two jars of the same name
     * @param layer which layer it goes to
     */
    public record Dependency(Path file, String fileName, String groupId, AppLayer layer) {}
}
