package io.github.layercache.javaapp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavaAppLayoutTest {

    @TempDir
    Path dir;

    private Path classes;
    private List<JavaApp.Dependency> classPath;

    @BeforeEach
    void project() throws Exception {
        classes = dir.resolve("module/target/classes");
        ClassFiles.write(classes, "com.example.App", true, null, null);
        ClassFiles.write(classes, "com.example.Greeting", false, null, "hello v1");
        Files.writeString(classes.resolve("application.properties"), "server.port=8080\n");
        Path repository = Files.createDirectories(dir.resolve("m2"));
        Path library = Files.createDirectories(dir.resolve("library/target/classes/com/example/lib"));
        Files.writeString(library.resolve("Lib.class"), "not really a class");
        classPath = List.of(
                new JavaApp.Dependency(
                        Files.writeString(repository.resolve("spring-web-6.2.12.jar"), "spring web"),
                        "spring-web-6.2.12.jar",
                        "org.springframework",
                        AppLayer.DEPENDENCIES),
                new JavaApp.Dependency(
                        Files.writeString(repository.resolve("client-2.0-20261201.101010-3.jar"), "client"),
                        "client-2.0-SNAPSHOT.jar",
                        "com.example",
                        AppLayer.SNAPSHOT_DEPENDENCIES),
                new JavaApp.Dependency(
                        dir.resolve("library/target/classes"), "library-1.0", "com.example", AppLayer.REACTOR_MODULES));
    }

    private JavaAppLayout.Layout write(Path to) throws Exception {
        return JavaAppLayout.write(new JavaApp(classPath, classes, Optional.empty(), "/app"), to);
    }

    @Test
    void eachLayerHoldsItsFilesAtTheirPlaceInTheImage() throws Exception {
        JavaAppLayout.Layout layout = write(dir.resolve("java-app"));

        assertThat(tree(layout.directory()).keySet())
                .containsExactly(
                        "classes/app/classes/com/example/App.class",
                        "classes/app/classes/com/example/Greeting.class",
                        "dependencies/app/libs/spring-web-6.2.12.jar",
                        "launch/app/launch.args",
                        "reactor-modules/app/libs/library-1.0/com/example/lib/Lib.class",
                        "resources/app/resources/application.properties",
                        "snapshot-dependencies/app/libs/client-2.0-SNAPSHOT.jar");
        assertThat(layout.mainClass()).contains("com.example.App");
        assertThat(layout.files()).containsEntry(AppLayer.CLASSES, 2).containsEntry(AppLayer.REACTOR_MODULES, 1);
        assertThat(layout.summary()).startsWith("dependencies 1 files 10 B, snapshot-dependencies 1 files 6 B");
    }

    @Test
    void launchArgsHoldTheClassPathInOrderAndTheMainClass() throws Exception {
        Path layout = write(dir.resolve("java-app")).directory();

        assertThat(Files.readString(layout.resolve("launch/app/launch.args")))
                .isEqualTo("-cp\n/app/resources:/app/classes:/app/libs/spring-web-6.2.12.jar"
                        + ":/app/libs/client-2.0-SNAPSHOT.jar:/app/libs/library-1.0\ncom.example.App\n");
    }

    @Test
    void fixedModesAndTimes() throws Exception {
        Path layout = write(dir.resolve("java-app")).directory();

        try (Stream<Path> walk = Files.walk(layout)) {
            for (Path entry : walk.toList()) {
                Instant time = Files.getLastModifiedTime(entry).toInstant();
                String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(entry));
                if (Files.isDirectory(entry)) {
                    assertThat(time).as(entry.toString()).isEqualTo(Instant.ofEpochSecond(1));
                    assertThat(mode).as(entry.toString()).isEqualTo("rwxr-xr-x");
                } else {
                    assertThat(time.getEpochSecond()).as(entry.toString()).isEqualTo(1);
                    assertThat(mode).as(entry.toString()).isEqualTo("rw-r--r--");
                }
            }
        }
    }

    @Test
    void theSameInputsGiveTheSameTreeWhateverTheirTimesAndModes() throws Exception {
        Map<String, String> first = tree(write(dir.resolve("first")).directory());
        for (Path file : List.of(
                classes.resolve("com/example/App.class"), classPath.get(0).file())) {
            Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-12-04T10:00:00Z")));
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxrwx---"));
        }

        assertThat(tree(write(dir.resolve("second")).directory())).isEqualTo(first);
    }

    @Test
    void aChangedClassChangesOnlyTheClassesLayer() throws Exception {
        Map<String, String> before = tree(write(dir.resolve("java-app")).directory());
        ClassFiles.write(classes, "com.example.Greeting", false, null, "hello v2");

        Map<String, String> after = tree(write(dir.resolve("java-app")).directory());

        assertThat(changedLayers(before, after)).containsExactly("classes");
    }

    @Test
    void aBumpedDependencyChangesTheDependenciesAndTheClassPath() throws Exception {
        Map<String, String> before = tree(write(dir.resolve("java-app")).directory());
        classPath = List.of(
                new JavaApp.Dependency(
                        Files.writeString(dir.resolve("m2/spring-web-6.2.13.jar"), "spring web 13"),
                        "spring-web-6.2.13.jar",
                        "org.springframework",
                        AppLayer.DEPENDENCIES),
                classPath.get(1),
                classPath.get(2));

        Map<String, String> after = tree(write(dir.resolve("java-app")).directory());

        assertThat(changedLayers(before, after)).containsExactly("dependencies", "launch");
    }

    @Test
    void aFileEditedToTheSameSizeGetsAnotherTime() throws Exception {
        Path layout = write(dir.resolve("java-app")).directory();
        Path greeting = layout.resolve("classes/app/classes/com/example/Greeting.class");
        FileTime before = Files.getLastModifiedTime(greeting);
        long size = Files.size(greeting);
        ClassFiles.write(classes, "com.example.Greeting", false, null, "howdy v1");

        write(dir.resolve("java-app"));

        assertThat(Files.size(greeting)).isEqualTo(size);
        assertThat(Files.getLastModifiedTime(greeting)).isNotEqualTo(before);
    }

    @Test
    void aRewriteLeavesNoFileOfTheLastLayout() throws Exception {
        write(dir.resolve("java-app"));
        Files.delete(classes.resolve("com/example/Greeting.class"));

        Path layout = write(dir.resolve("java-app")).directory();

        assertThat(layout.resolve("classes/app/classes/com/example/Greeting.class"))
                .doesNotExist();
    }

    @Test
    void twoJarsOfOneNameGetTheirGroupInFront() throws Exception {
        Path other = Files.writeString(dir.resolve("m2/other-spring-web-6.2.12.jar"), "fork");
        classPath = List.of(
                classPath.get(0),
                new JavaApp.Dependency(other, "spring-web-6.2.12.jar", "com.fork", AppLayer.DEPENDENCIES));

        Path layout = write(dir.resolve("java-app")).directory();

        assertThat(layout.resolve("dependencies/app/libs/org.springframework-spring-web-6.2.12.jar"))
                .hasContent("spring web");
        assertThat(layout.resolve("dependencies/app/libs/com.fork-spring-web-6.2.12.jar"))
                .hasContent("fork");
    }

    @Test
    void withoutAMainClassThereIsNoLaunchFile() throws Exception {
        Files.delete(classes.resolve("com/example/App.class"));

        JavaAppLayout.Layout layout = write(dir.resolve("java-app"));

        assertThat(layout.mainClass()).isEmpty();
        assertThat(layout.directory().resolve("launch")).doesNotExist();
    }

    @Test
    void anotherRootMovesEveryPath() throws Exception {
        Path layout = JavaAppLayout.write(
                        new JavaApp(classPath, classes, Optional.of("com.example.Other"), "/srv/orders"),
                        dir.resolve("java-app"))
                .directory();

        assertThat(layout.resolve("classes/srv/orders/classes/com/example/App.class"))
                .exists();
        assertThat(Files.readString(layout.resolve("launch/srv/orders/launch.args")))
                .startsWith("-cp\n/srv/orders/resources:/srv/orders/classes:/srv/orders/libs/spring-web-6.2.12.jar")
                .endsWith("\ncom.example.Other\n");
    }

    /** Every file of a layout: its path, with its content, mode and time. */
    private static Map<String, String> tree(Path layout) throws Exception {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(layout)) {
            for (Path entry : walk.toList()) {
                String description = PosixFilePermissions.toString(Files.getPosixFilePermissions(entry)) + " "
                        + Files.getLastModifiedTime(entry) + " "
                        + (Files.isDirectory(entry)
                                ? "dir"
                                : new String(Files.readAllBytes(entry), StandardCharsets.ISO_8859_1));
                if (!Files.isDirectory(entry)) {
                    files.put(layout.relativize(entry).toString(), description);
                }
            }
        }
        return files;
    }

    private static List<String> changedLayers(Map<String, String> before, Map<String, String> after) {
        Set<String> layers = new TreeSet<>();
        Set<String> paths = new TreeSet<>(before.keySet());
        paths.addAll(after.keySet());
        for (String path : paths) {
            if (!Objects.equals(before.get(path), after.get(path))) {
                layers.add(path.substring(0, path.indexOf('/')));
            }
        }
        return List.copyOf(layers);
    }
}
