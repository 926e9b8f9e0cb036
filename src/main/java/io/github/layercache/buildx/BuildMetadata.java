package io.github.layercache.buildx;

import io.github.layercache.core.JsonDocuments;
import io.github.layercache.core.Text;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/** What buildx wrote with {@code --metadata-file}: the image digest and the names it gave. */
public record BuildMetadata(Optional<String> imageDigest, Optional<String> imageName) {

    public static BuildMetadata read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    static BuildMetadata parse(String json) throws IOException {
        JsonNode document;
        try {
            document = JsonDocuments.tree(json);
        } catch (IOException e) {
            throw new IOException("buildx wrote an unreadable metadata file: " + e.getMessage(), e);
        }
        if (document == null || !document.isObject()) {
            throw new IOException("buildx wrote an unreadable metadata file: it is not a JSON object");
        }
        return new BuildMetadata(text(document, "containerimage.digest"), text(document, "image.name"));
    }

    private static Optional<String> text(JsonNode document, String key) {
        JsonNode value = document.path(key);
        return value.isString() && Text.isSet(value.stringValue())
                ? Optional.of(value.stringValue())
                : Optional.empty();
    }
}
