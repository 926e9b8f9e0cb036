package io.github.layercache.testing;

import io.github.layercache.core.JsonDocuments;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** JSON objects as maps, for tests that assert on documents the plugin wrote. */
public final class JsonMaps {

    private JsonMaps() {}

    /** The text as a map of its top-level fields (objects as maps, arrays as lists, numbers as numbers). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parse(String text) {
        try {
            return JsonDocuments.read(text, Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
