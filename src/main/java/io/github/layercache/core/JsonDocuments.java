package io.github.layercache.core;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every JSON document the plugin reads or writes, through one Jackson mapper: strict JSON only
 * (one document, no duplicate keys, no {@code NaN}, no leading zeros or {@code +}), at most
 * {@value #MAX_DEPTH} levels deep so that a hostile file is an error rather than a stack overflow,
 * and records written in the order of their components.
 */
public final class JsonDocuments {

    /** Far deeper than any docker config, registry answer or buildx metadata file. */
    static final int MAX_DEPTH = 64;

    private static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_DEPTH)
                            .build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private static final AtomicBoolean WARMING = new AtomicBoolean();

    private JsonDocuments() {}

    /**
     * Builds the mapper on a background thread, once per JVM: Jackson takes a fifth of a second to
     * start, which a goal can spend while docker runs instead of after it.
     */
    public static void warmUpInBackground() {
        if (!WARMING.getAndSet(true)) {
            Thread warmUp = new Thread(() -> field("{}", "warm-up"), "layercache-json-warm-up");
            warmUp.setDaemon(true);
            warmUp.start();
        }
    }

    /**
     * Reads a document as a tree.
     *
     * @throws IOException when it is not one well-formed JSON document within the limits, saying where
     */
    public static JsonNode tree(String text) throws IOException {
        try {
            return MAPPER.readTree(text);
        } catch (JacksonException e) {
            throw new IOException("not valid JSON (" + e.getOriginalMessage() + locationOf(e) + ")", e);
        }
    }

    /** Whether two texts hold the same JSON value (field order and spacing aside); false when either is not JSON. */
    public static boolean sameJson(String a, String b) {
        try {
            return tree(a).equals(tree(b));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Reads a document into a record or other bean type. */
    public static <T> T read(String text, Class<T> type) throws IOException {
        try {
            return MAPPER.readValue(text, type);
        } catch (JacksonException e) {
            throw new IOException(
                    "not valid JSON for " + type.getSimpleName() + " (" + e.getOriginalMessage() + locationOf(e) + ")",
                    e);
        }
    }

    /** The string value of a top-level field, or empty when the text is no JSON object with such a field. */
    public static Optional<String> field(String text, String name) {
        try {
            JsonNode node = MAPPER.readTree(text);
            return node != null && node.isObject() && node.path(name).isString()
                    ? Optional.of(node.path(name).stringValue())
                    : Optional.empty();
        } catch (JacksonException e) {
            return Optional.empty();
        }
    }

    /** A value (a record, a tree, a map) as indented JSON. */
    public static String write(Object value) {
        return MAPPER.writeValueAsString(value) + "\n";
    }

    /** A value as JSON on one line, for documents that travel rather than being read by people. */
    public static String compact(Object value) {
        return MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
    }

    /** An empty object tree to fill. */
    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    private static String locationOf(JacksonException e) {
        return e.getLocation() == null
                ? ""
                : " at line " + e.getLocation().getLineNr() + ", column "
                        + e.getLocation().getColumnNr();
    }
}
