package io.github.layercache.javaapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.layercache.core.InvalidSpecException;
import io.github.layercache.registry.ImageReference;
import io.github.layercache.spec.BuildSpec;
import io.github.layercache.testing.RecordingBuildLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavaAppContextTest {

    @TempDir
    Path module;

    private Path classes;
    private JavaAppContext.Settings settings;
    private final RecordingBuildLog log = new RecordingBuildLog();

    @BeforeEach
    void module() throws Exception {
        classes = Files.createDirectories(module.resolve("target/classes"));
        ClassFiles.write(classes, "com.example.App", true, null, null);
        settings = new JavaAppContext.Settings("java-app", module.resolve("target/layercache/java-app"), classes);
    }

    private BuildSpec spec(String dockerfile) throws Exception {
        Files.writeString(module.resolve("Dockerfile"), dockerfile);
        return BuildSpec.builder()
                .timeout(Duration.ofHours(1))
                .provenance("false")
                .contextDirectory(module)
                .image(ImageReference.parse("registry.example.com/app", "image"))
                .tags(List.of("1.0"))
                .metadataFile(module.resolve("target/meta.json"))
                .build();
    }

    private JavaApp app() {
        return new JavaApp(List.of(), classes, Optional.empty(), "/app");
    }

    @Test
    void aDockerfileThatCopiesFromTheContextGetsIt() throws Exception {
        BuildSpec spec =
                spec("FROM jre\nCOPY --link --from=java-app classes/ /\nCOPY --link --from=java-app launch/ /\n");

        BuildSpec attached = JavaAppContext.attach(spec, settings, this::app, log);

        assertThat(attached.buildContexts()).containsEntry("java-app", settings.directory());
        assertThat(settings.directory().resolve("classes/app/classes/com/example/App.class"))
                .exists();
        assertThat(log.infos())
                .singleElement()
                .asString()
                .startsWith(
                        "Java application in build context 'java-app' (main class com.example.App): dependencies 0");
    }

    @Test
    void aDockerfileThatDoesNotBuildsAsBefore() throws Exception {
        BuildSpec spec = spec("FROM jre\nCOPY app.txt /app/\n");

        BuildSpec attached = JavaAppContext.attach(
                spec,
                settings,
                () -> {
                    throw new AssertionError("the application is not read when the Dockerfile does not use it");
                },
                log);

        assertThat(attached).isEqualTo(spec);
        assertThat(settings.directory()).doesNotExist();
        assertThat(log.lines()).isEmpty();
    }

    @Test
    void aLargeJarCopiedFromTargetIsPricedOnce() throws Exception {
        Files.write(module.resolve("target/app.jar"), new byte[2_500_000]);
        BuildSpec spec = spec("FROM jre\nCOPY --link target/*.jar /app/app.jar\n");

        JavaAppContext.attach(spec, settings, this::app, log);

        assertThat(log.infos())
                .singleElement()
                .asString()
                .contains("copies target/*.jar (2.5 MB) as one layer")
                .contains("uploads all 2.5 MB")
                .contains("COPY --link --from=java-app classes/ /");
    }

    @Test
    void aSmallJarOrAModuleWithoutClassesIsNotWorthALine() throws Exception {
        Files.write(module.resolve("target/app.jar"), new byte[10_000]);
        JavaAppContext.attach(spec("FROM jre\nCOPY target/app.jar /app.jar\n"), settings, this::app, log);
        Files.write(module.resolve("target/app.jar"), new byte[2_500_000]);
        JavaAppContext.Settings noClasses =
                new JavaAppContext.Settings("java-app", settings.directory(), module.resolve("missing"));
        JavaAppContext.attach(spec("FROM jre\nCOPY target/app.jar /app.jar\n"), noClasses, this::app, log);

        assertThat(log.lines()).isEmpty();
    }

    @Test
    void launchArgsWithoutAMainClassNamesTheParameter() throws Exception {
        Files.delete(classes.resolve("com/example/App.class"));
        BuildSpec spec =
                spec("FROM jre\nCOPY --link --from=java-app launch/ /\nENTRYPOINT [\"java\", \"@/app/launch.args\"]\n");

        assertThatThrownBy(() -> JavaAppContext.attach(spec, settings, this::app, log))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("no class in " + classes + " has a main method")
                .satisfies(
                        e -> assertThat(((InvalidSpecException) e).parameter()).contains("mainClass"));
    }

    @Test
    void copyingTheLaunchLayerAloneAlsoNeedsAMainClass() throws Exception {
        Files.delete(classes.resolve("com/example/App.class"));
        BuildSpec spec = spec("FROM jre\nCOPY --link --from=java-app launch/ /\n");

        assertThatThrownBy(() -> JavaAppContext.attach(spec, settings, this::app, log))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("has a main method");
    }

    @Test
    void anInvalidContextNameNamesTheParameterAndABlankOneTurnsItOff() throws Exception {
        BuildSpec spec = spec("FROM jre\nCOPY --link --from=Java_App classes/ /\n");

        assertThatThrownBy(() -> JavaAppContext.attach(
                        spec, new JavaAppContext.Settings("Java App", settings.directory(), classes), this::app, log))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("Invalid build context name 'Java App'")
                .satisfies(
                        e -> assertThat(((InvalidSpecException) e).parameter()).contains("javaAppContext"));
        assertThat(JavaAppContext.attach(
                        spec, new JavaAppContext.Settings(" ", settings.directory(), classes), this::app, log))
                .isEqualTo(spec);
    }
}
