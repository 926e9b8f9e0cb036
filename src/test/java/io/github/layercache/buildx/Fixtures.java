package io.github.layercache.buildx;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Buildx output and metadata captured from real builds, under {@code src/test/resources/progress}. */
final class Fixtures {

    private Fixtures() {}

    static String text(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/progress/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource /progress/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> lines(String name) {
        return text(name).lines().toList();
    }

    static ProgressTracker track(String name) {
        ProgressTracker tracker = new ProgressTracker();
        lines(name).forEach(tracker::accept);
        return tracker;
    }
}
