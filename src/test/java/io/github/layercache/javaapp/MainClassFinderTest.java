package io.github.layercache.javaapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.layercache.core.InvalidSpecException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainClassFinderTest {

    private static final String SPRING_BOOT_APPLICATION =
            "Lorg/springframework/boot/autoconfigure/SpringBootApplication;";

    @TempDir
    Path classes;

    @Test
    void theOneClassWithAMainMethod() throws Exception {
        ClassFiles.write(classes, "com.example.Greeting", false, null, null);
        ClassFiles.write(classes, "com.example.App", true, null, null);

        assertThat(MainClassFinder.find(classes)).contains("com.example.App");
    }

    @Test
    void amongSeveralTheSpringBootApplication() throws Exception {
        ClassFiles.write(classes, "com.example.tools.Migrate", true, null, null);
        ClassFiles.write(classes, "com.example.App", true, SPRING_BOOT_APPLICATION, null);

        assertThat(MainClassFinder.find(classes)).contains("com.example.App");
    }

    @Test
    void severalWithoutOneToPreferAskForMainClass() throws Exception {
        ClassFiles.write(classes, "com.example.One", true, null, null);
        ClassFiles.write(classes, "com.example.Two", true, null, null);

        assertThatThrownBy(() -> MainClassFinder.find(classes))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("com.example.One, com.example.Two")
                .satisfies(
                        e -> assertThat(((InvalidSpecException) e).parameter()).contains("mainClass"));
    }

    @Test
    void noMainMethodOrNoClassesIsNone() throws Exception {
        ClassFiles.write(classes, "com.example.Library", false, null, null);

        assertThat(MainClassFinder.find(classes)).isEmpty();
        assertThat(MainClassFinder.find(classes.resolve("missing"))).isEmpty();
    }
}
