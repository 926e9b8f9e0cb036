package io.github.layercache.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** The JSON the plugin reads is strict and bounded; what it writes is valid JSON, whatever the value. */
class JsonDocumentsTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "01",
                "+1",
                "1.",
                ".5",
                "NaN",
                "Infinity",
                "{'a': 1}",
                "{\"a\": 1,}",
                "[1,]",
                "{\"a\": 1} {}",
                "{\"a\": 1, \"a\": 2}",
                "{\"a\": \"unterminated",
                "tru",
                "// comment\n{}"
            })
    void whatIsNotStrictJsonIsRejectedWithWhereItWentWrong(String text) {
        IOException e = catchThrowableOfType(IOException.class, () -> JsonDocuments.tree(text));

        assertThat(e).as(text).isNotNull();
        assertThat(e.getMessage()).startsWith("not valid JSON (").contains("line 1");
    }

    @Test
    void aHostileDepthIsAnErrorNotAStackOverflow() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);

        IOException e = catchThrowableOfType(IOException.class, () -> JsonDocuments.tree(deep));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("nesting depth");
    }

    @Test
    void anOrdinaryDepthIsRead() throws Exception {
        String deep = "[".repeat(JsonDocuments.MAX_DEPTH) + "]".repeat(JsonDocuments.MAX_DEPTH);

        assertThat(JsonDocuments.tree(deep).isArray()).isTrue();
    }

    @Test
    void numbersAndTextRoundTrip() throws Exception {
        JsonNode node = JsonDocuments.tree("{\"n\": 1.5e3, \"t\": \"a\\u00e9\\n\", \"z\": -0, \"b\": [true, null]}");

        assertThat(node.path("n").doubleValue()).isEqualTo(1500.0);
        assertThat(node.path("t").stringValue()).isEqualTo("aé\n");
        assertThat(node.path("b").get(1).isNull()).isTrue();
    }

    @Test
    void whatIsWrittenIsAlwaysValidJson() throws Exception {
        // The values the hand-written writer got wrong: a bare NaN, an Optional as its toString, a Path
        // (an Iterable of Paths) as endless recursion.
        String written =
                JsonDocuments.write(Map.of("nan", Double.NaN, "optional", Optional.of("x"), "path", Path.of("/tmp/a")));

        JsonNode node = JsonDocuments.tree(written);
        assertThat(node.path("nan").asString()).isEqualTo("NaN");
        assertThat(node.path("optional").stringValue()).isEqualTo("x");
        assertThat(node.path("path").stringValue()).endsWith("/tmp/a");
    }

    record Sample(String zebra, int apple, List<String> middle) {}

    @Test
    void recordsAreWrittenInTheOrderOfTheirComponentsAndReadBack() throws Exception {
        String written = JsonDocuments.write(new Sample("z", 1, List.of("m")));

        assertThat(written)
                .matches("(?s)\\{\\s*\"zebra\" : \"z\",\\s*\"apple\" : 1,\\s*\"middle\" : \\[ \"m\" \\]\\s*}\\n");
        assertThat(JsonDocuments.read(written, Sample.class)).isEqualTo(new Sample("z", 1, List.of("m")));
        assertThat(JsonDocuments.compact(new Sample("z", 1, List.of())))
                .isEqualTo("{\"zebra\":\"z\",\"apple\":1,\"middle\":[]}");
    }

    @Test
    void aFieldIsReadOnlyFromAnObjectWithThatStringField() {
        assertThat(JsonDocuments.field("{\"digest\": \"sha256:1\"}", "digest")).contains("sha256:1");
        assertThat(JsonDocuments.field("{\"digest\": 5}", "digest")).isEmpty();
        assertThat(JsonDocuments.field("[\"sha256:1\"]", "digest")).isEmpty();
        assertThat(JsonDocuments.field("garbage", "digest")).isEmpty();
        assertThat(JsonDocuments.field("", "digest")).isEmpty();
    }
}
