package io.github.layercache.javaapp;

import io.github.layercache.core.FileHashes;
import io.github.layercache.core.InvalidSpecException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Lays a Java application out as Jib does, in a directory that BuildKit receives as a named build
 * context: one directory per {@link AppLayer}, and {@value #LAUNCH_DIRECTORY} with {@value #LAUNCH_ARGS},
 * the class path and main class as a {@code java @argfile}. Every file and directory gets fixed
 * permissions and a fixed time, so that the same inputs give the same layer digests on any machine.
 */
public final class JavaAppLayout {

    /** The {@code java @file} with {@code -cp <class path>} and the main class. */
    public static final String LAUNCH_ARGS = "launch.args";

    /** The layer that holds {@value #LAUNCH_ARGS}: it changes with the class path, not with the code. */
    public static final String LAUNCH_DIRECTORY = "launch";

    /** Jib's file time: the epoch plus one second (some tools treat the epoch itself as "no time"). */
    static final Instant FILE_TIME = Instant.ofEpochSecond(1);

    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-r--r--");
    private static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwxr-xr-x");

    private JavaAppLayout() {}

    /**
     * What was laid out.
     *
     * @param directory the build context
     * @param mainClass the class {@value #LAUNCH_ARGS} runs, or empty when none was found (then there is no such file)
     * @param files how many files each layer holds
     * @param bytes how many bytes each layer holds
     */
    public record Layout(
            Path directory, Optional<String> mainClass, Map<AppLayer, Integer> files, Map<AppLayer, Long> bytes) {

        public Layout {
            files = Map.copyOf(files);
            bytes = Map.copyOf(bytes);
        }

        /** One line for the build log, e.g. {@code dependencies 83 files 19.8 MB, ..., classes 3 files 4 kB}. */
        public String summary() {
            List<String> parts = new ArrayList<>();
            for (AppLayer layer : AppLayer.values()) {
                parts.add(layer.directory() + " " + files.getOrDefault(layer, 0) + " files "
                        + size(bytes.getOrDefault(layer, 0L)));
            }
            return String.join(", ", parts);
        }
    }

    /** Replaces {@code directory} with the layout of {@code app}. */
    public static Layout write(JavaApp app, Path directory) throws IOException, InvalidSpecException {
        deleteTree(directory);
        Files.createDirectories(directory);
        Map<AppLayer, Integer> files = new EnumMap<>(AppLayer.class);
        Map<AppLayer, Long> bytes = new EnumMap<>(AppLayer.class);
        String root = app.appRoot().replaceAll("^/+", "");
        for (AppLayer layer : AppLayer.values()) {
            Files.createDirectories(inImage(directory, layer, root));
        }
        List<String> classPath = new ArrayList<>();
        classPath.add(app.appRoot() + "/" + AppLayer.RESOURCES.inImage());
        classPath.add(app.appRoot() + "/" + AppLayer.CLASSES.inImage());
        for (JavaApp.Dependency dependency : namedUniquely(app.classPath())) {
            Path target = inImage(directory, dependency.layer(), root).resolve(dependency.fileName());
            Copied copied = copy(dependency.file(), target);
            files.merge(dependency.layer(), copied.files(), Integer::sum);
            bytes.merge(dependency.layer(), copied.bytes(), Long::sum);
            classPath.add(app.appRoot() + "/" + dependency.layer().inImage() + "/" + dependency.fileName());
        }
        if (Files.isDirectory(app.outputDirectory())) {
            try (Stream<Path> walk = Files.walk(app.outputDirectory())) {
                for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                    AppLayer layer =
                            file.getFileName().toString().endsWith(".class") ? AppLayer.CLASSES : AppLayer.RESOURCES;
                    Path target = inImage(directory, layer, root)
                            .resolve(app.outputDirectory().relativize(file).toString());
                    files.merge(layer, 1, Integer::sum);
                    bytes.merge(layer, copyFile(file, target), Long::sum);
                }
            }
        }
        Optional<String> mainClass =
                app.mainClass().isPresent() ? app.mainClass() : MainClassFinder.find(app.outputDirectory());
        if (mainClass.isPresent()) {
            Path launch = directory.resolve(LAUNCH_DIRECTORY).resolve(root);
            Files.createDirectories(launch);
            Files.writeString(
                    launch.resolve(LAUNCH_ARGS),
                    "-cp\n" + quoted(String.join(":", classPath)) + "\n" + mainClass.get() + "\n",
                    StandardCharsets.UTF_8);
        }
        normalize(directory);
        return new Layout(directory, mainClass, files, bytes);
    }

    /** The directory of a layer's files in the context: {@code classes/app/classes}. */
    private static Path inImage(Path directory, AppLayer layer, String root) {
        Path base = directory.resolve(layer.directory());
        return (root.isEmpty() ? base : base.resolve(root)).resolve(layer.inImage());
    }

    /** Two jars of one name (same artifactId and version in two groups) get their group in front. */
    private static List<JavaApp.Dependency> namedUniquely(List<JavaApp.Dependency> classPath) {
        Map<String, Integer> names = new HashMap<>();
        classPath.forEach(d -> names.merge(d.fileName(), 1, Integer::sum));
        return classPath.stream()
                .map(d -> names.get(d.fileName()) == 1
                        ? d
                        : new JavaApp.Dependency(d.file(), d.groupId() + "-" + d.fileName(), d.groupId(), d.layer()))
                .toList();
    }

    private record Copied(int files, long bytes) {}

    /** Copies a jar, or a reactor module's class directory, counting the files and bytes copied. */
    private static Copied copy(Path source, Path target) throws IOException {
        if (!Files.isDirectory(source)) {
            return new Copied(1, copyFile(source, target));
        }
        int files = 0;
        long bytes = 0;
        try (Stream<Path> walk = Files.walk(source)) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                files++;
                bytes += copyFile(file, target.resolve(source.relativize(file).toString()));
            }
        }
        Files.createDirectories(target);
        return new Copied(files, bytes);
    }

    /** Copies one file, making its directory, and returns its size. */
    private static long copyFile(Path source, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        return Files.size(target);
    }

    /** A java argument file takes a value with spaces only in quotes. */
    private static String quoted(String value) {
        return value.contains(" ") ? "\"" + value + "\"" : value;
    }

    /**
     * Fixed permissions and times for every entry, children before their directory. A file's time is
     * {@link #FILE_TIME} plus a fraction of a second taken from its content: BuildKit's context
     * transfer skips a file whose size and time did not change, so with one time for every file a
     * class edited to the same size would keep its old content in the image.
     */
    private static void normalize(Path directory) throws IOException {
        List<Path> entries;
        try (Stream<Path> walk = Files.walk(directory)) {
            entries = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path entry : entries) {
            if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                Files.setPosixFilePermissions(entry, DIRECTORY_MODE);
                Files.setLastModifiedTime(entry, FileTime.from(FILE_TIME));
            } else {
                Files.setPosixFilePermissions(entry, FILE_MODE);
                Files.setLastModifiedTime(entry, contentTime(entry));
            }
        }
    }

    /** {@link #FILE_TIME} plus up to a second, in whole microseconds, from the file's SHA-256. */
    static FileTime contentTime(Path file) throws IOException {
        byte[] hash = FileHashes.sha256(file);
        long micros = (((hash[0] & 0xffL) << 16) | ((hash[1] & 0xffL) << 8) | (hash[2] & 0xffL)) % 1_000_000L;
        return FileTime.from(FILE_TIME.plusNanos(micros * 1000));
    }

    private static void deleteTree(Path directory) throws IOException {
        if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(directory)) {
            for (Path entry : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(entry);
            }
        }
    }

    static String size(long bytes) {
        if (bytes >= 1_000_000) {
            return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
        }
        return bytes >= 1000 ? (bytes / 1000) + " kB" : bytes + " B";
    }
}
