package io.github.layercache.buildx;

import io.github.layercache.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** What buildx wrote with {@code --metadata-file}: the image digest and the names it gave. */
public record BuildMetadata(Optional<String> imageDigest, Optional<String> imageName) {

    public static BuildMetadata read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    static BuildMetadata parse(String json) throws IOException {
        Map<String, Object> document;
        try {
            document = Json.parseObject(json);
        } catch (IllegalArgumentException e) {
            throw new IOException("buildx wrote an unreadable metadata file: " + e.getMessage(), e);
        }
        return new BuildMetadata(text(document, "containerimage.digest"), text(document, "image.name"));
    }

    private static Optional<String> text(Map<String, Object> document, String key) {
        Object value = document.get(key);
        return value instanceof String s && !s.isBlank() ? Optional.of(s) : Optional.empty();
    }
}
