package io.github.layercache.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void parsesAnObjectKeepingDocumentOrder() {
        Map<String, Object> object = Json.parseObject("{\"z\": 1, \"a\": 2, \"m\": 3}");

        assertThat(object)
                .containsExactly(
                        Map.entry("z", new BigDecimal("1")),
                        Map.entry("a", new BigDecimal("2")),
                        Map.entry("m", new BigDecimal("3")));
    }

    @Test
    void parsesNestedArraysAndObjects() {
        Object value = Json.parse("[1, [\"x\", {\"k\": []}], {}]");

        assertThat(value).isEqualTo(List.of(new BigDecimal("1"), List.of("x", Map.of("k", List.of())), Map.of()));
    }

    @Test
    void parsesStringEscapes() {
        Object value = Json.parse("\"a\\nb \\\"q\\\" caf\\u00e9 \\\\ \\/ \\t\\r\\b\\f\"");

        assertThat(value).isEqualTo("a\nb \"q\" café \\ / \t\r\b\f");
    }

    @Test
    void parsesNumbersAsBigDecimal() {
        Object value = Json.parse("[0, -12, 3.25, 1e3, -2.5E-2, 12345678901234567890]");

        assertThat(value)
                .isEqualTo(List.of(
                        new BigDecimal("0"),
                        new BigDecimal("-12"),
                        new BigDecimal("3.25"),
                        new BigDecimal("1e3"),
                        new BigDecimal("-2.5E-2"),
                        new BigDecimal("12345678901234567890")));
    }

    @Test
    void parsesLiterals() {
        Object value = Json.parse(" [true, false, null] ");

        assertThat(value).isEqualTo(Arrays.asList(Boolean.TRUE, Boolean.FALSE, null));
    }

    @Test
    void keepsNullMembers() {
        Map<String, Object> object = Json.parseObject("{\"digest\": null}");

        assertThat(object).containsEntry("digest", null).hasSize(1);
    }

    @Test
    void writeRoundTripsThroughParse() {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("image", "127.0.0.1:5000/app");
        document.put("text", "quote \" backslash \\ newline \n tab \t control \u0001 é");
        document.put("tags", List.of("1.0", "latest"));
        document.put("empty", List.of());
        document.put("none", Map.of());
        document.put("digest", null);
        document.put("count", new BigDecimal("3"));
        document.put("seconds", new BigDecimal("12.5"));
        document.put("ok", true);
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("b", List.of(Map.of("c", false)));
        nested.put("a", new BigDecimal("-1"));
        document.put("nested", nested);

        Map<String, Object> reparsed = Json.parseObject(Json.write(document));

        assertThat(reparsed).isEqualTo(document);
        assertThat(reparsed.keySet()).containsExactlyElementsOf(document.keySet());
    }

    @Test
    void writesIndentedJsonEndingWithANewline() {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("a", List.of("x"));
        document.put("b", null);

        assertThat(Json.write(document)).isEqualTo("{\n  \"a\": [\n    \"x\"\n  ],\n  \"b\": null\n}\n");
    }

    @Test
    void writesEmptyContainersCompactly() {
        assertThat(Json.write(List.of())).isEqualTo("[]\n");
        assertThat(Json.write(Map.of())).isEqualTo("{}\n");
    }

    @Test
    void rejectsTrailingText() {
        assertThatThrownBy(() -> Json.parse("{\"a\": 1} x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unexpected text after the JSON value");
    }

    @Test
    void rejectsAnUnterminatedString() {
        assertThatThrownBy(() -> Json.parse("{\"a\": \"open"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unterminated string");
    }

    @Test
    void rejectsAnUnclosedObject() {
        assertThatThrownBy(() -> Json.parse("{\"a\": 1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsEmptyInput() {
        assertThatThrownBy(() -> Json.parse("   "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unexpected end");
    }

    @Test
    void rejectsAMisspelledLiteral() {
        assertThatThrownBy(() -> Json.parse("tru"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected true");
    }

    @Test
    void rejectsAnUnknownEscape() {
        assertThatThrownBy(() -> Json.parse("\"\\x\"")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parseObjectRejectsAnArray() {
        assertThatThrownBy(() -> Json.parseObject("[1]"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected a JSON object");
    }
}
