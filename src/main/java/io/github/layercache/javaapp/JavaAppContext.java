package io.github.layercache.javaapp;

import io.github.layercache.core.InvalidSpecException;
import io.github.layercache.core.LayercacheException;
import io.github.layercache.core.Text;
import io.github.layercache.log.BuildLog;
import io.github.layercache.spec.BuildSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Hands the module's Java application to BuildKit as a named build context when the Dockerfile
 * reads it, and otherwise leaves the build as it is (saying once what a fat jar copied from
 * {@code target/} costs per change).
 */
public final class JavaAppContext {

    /** BuildKit takes a context name as it takes an image name: lower case, digits and separators. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");

    private static final long LARGE_JAR_BYTES = 1_000_000;

    /** Where the application comes from: read only when the Dockerfile uses the context. */
    @FunctionalInterface
    public interface Source {
        JavaApp read() throws LayercacheException;
    }

    /**
     * @param name the context's name, e.g. {@code java-app}; blank turns the layout off
     * @param directory where the layout is written (inside the plugin's output directory)
     * @param outputDirectory the module's class directory: when it exists, the layers are available
     */
    public record Settings(String name, Path directory, Path outputDirectory) {}

    private JavaAppContext() {}

    /** The spec with the Java application's context added when its Dockerfile reads it. */
    public static BuildSpec attach(BuildSpec spec, Settings settings, Source source, BuildLog log)
            throws LayercacheException {
        if (!Text.isSet(settings.name())) {
            return spec;
        }
        String name = settings.name().strip();
        if (!NAME.matcher(name).matches()) {
            throw new InvalidSpecException(
                    "javaAppContext",
                    "Invalid build context name '" + name + "': use lower-case letters, digits, '.', '_' and '-',"
                            + " e.g. java-app.");
        }
        String dockerfile = read(spec.dockerfile());
        if (!DockerfileJavaUse.usesContext(dockerfile, name)) {
            if (Files.isDirectory(settings.outputDirectory())) {
                hintAboutFatJars(spec, dockerfile, name, log);
            }
            return spec;
        }
        JavaApp app = source.read();
        JavaAppLayout.Layout layout;
        try {
            layout = JavaAppLayout.write(app, settings.directory());
        } catch (IOException e) {
            throw new LayercacheException(
                    "Cannot lay out the Java application in " + settings.directory() + ": " + e.getMessage());
        }
        if (layout.mainClass().isEmpty()
                && (dockerfile.contains(JavaAppLayout.LAUNCH_ARGS)
                        || dockerfile.contains(JavaAppLayout.LAUNCH_DIRECTORY + "/"))) {
            throw new InvalidSpecException(
                    "mainClass",
                    "The Dockerfile copies " + JavaAppLayout.LAUNCH_ARGS + ", but no class in " + app.outputDirectory()
                            + " has a main method: name the class to run.");
        }
        log.info("Java application in build context '" + name + "'"
                + layout.mainClass().map(c -> " (main class " + c + ")").orElse("") + ": " + layout.summary());
        return spec.withBuildContext(name, layout.directory());
    }

    private static void hintAboutFatJars(BuildSpec spec, String dockerfile, String name, BuildLog log) {
        long bytes = 0;
        String copied = null;
        for (String jar : DockerfileJavaUse.jarsCopiedFromContext(dockerfile)) {
            long size = sizeOf(spec.contextDirectory(), jar);
            if (size > 0) {
                bytes += size;
                copied = copied == null ? jar : copied + ", " + jar;
            }
        }
        if (bytes >= LARGE_JAR_BYTES) {
            log.info("The Dockerfile copies " + copied + " (" + JavaAppLayout.size(bytes) + ") as one layer, so every"
                    + " change to the code uploads all " + JavaAppLayout.size(bytes)
                    + ". Copy the layers of build context '"
                    + name + "' instead (COPY --link --from=" + name + " classes/ / and the others): a"
                    + " one-line change then uploads only its classes. See the site page Java layers.");
        }
    }

    /** The bytes of the files a COPY source names (a {@code *} in its last part allowed); 0 when none exist. */
    private static long sizeOf(Path context, String source) {
        Path path = context.resolve(source.replaceFirst("^/+", ""));
        try {
            if (!path.getFileName().toString().contains("*")) {
                return Files.isRegularFile(path) ? Files.size(path) : 0;
            }
            long total = 0;
            try (DirectoryStream<Path> files = Files.newDirectoryStream(
                    path.getParent(), path.getFileName().toString())) {
                for (Path file : files) {
                    total += Files.isRegularFile(file) ? Files.size(file) : 0;
                }
            }
            return total;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static String read(Path dockerfile) throws LayercacheException {
        try {
            return Files.readString(dockerfile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LayercacheException("Cannot read " + dockerfile + ": " + e.getMessage(), "dockerfile");
        }
    }
}
