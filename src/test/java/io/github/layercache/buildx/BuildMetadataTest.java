package io.github.layercache.buildx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.core.JacksonException;

class BuildMetadataTest {

    @TempDir
    Path dir;

    @Test
    void readsDigestAndNameFromARealMetadataFile() throws IOException {
        Path file = Files.writeString(dir.resolve("metadata.json"), Fixtures.text("metadata.json"));

        BuildMetadata metadata = BuildMetadata.read(file);

        assertThat(metadata.imageDigest())
                .contains("sha256:fd9164660368eb80ea83d9ad08c17bd027f7a5135d6a80d54c53fa39bdb00b34");
        assertThat(metadata.imageName()).contains("127.0.0.1:5501/probe:1");
    }

    @Test
    void missingKeysAreEmpty() throws IOException {
        BuildMetadata metadata = BuildMetadata.parse("{\"buildx.build.ref\": \"default/default/x\"}");

        assertThat(metadata.imageDigest()).isEmpty();
        assertThat(metadata.imageName()).isEmpty();
    }

    @Test
    void blankOrNonTextValuesAreEmpty() throws IOException {
        BuildMetadata metadata = BuildMetadata.parse("{\"containerimage.digest\": \"  \", \"image.name\": 3}");

        assertThat(metadata.imageDigest()).isEmpty();
        assertThat(metadata.imageName()).isEmpty();
    }

    @Test
    void brokenJsonIsAnIOException() {
        assertThatThrownBy(() -> BuildMetadata.parse("{\"containerimage.digest\": \"sha256:abc"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("unreadable metadata file")
                .hasRootCauseInstanceOf(JacksonException.class);
    }

    @Test
    void aDocumentThatIsNotAnObjectIsAnIOException() {
        assertThatThrownBy(() -> BuildMetadata.parse("[]")).isInstanceOf(IOException.class);
    }

    @Test
    void aMissingFileIsNoSuchFile() {
        assertThatThrownBy(() -> BuildMetadata.read(dir.resolve("absent.json")))
                .isInstanceOf(NoSuchFileException.class);
    }
}
