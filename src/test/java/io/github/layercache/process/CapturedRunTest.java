package io.github.layercache.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a captured command's lines say; running the command is DockerCliTest's. */
class CapturedRunTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                // the last line that says what went wrong wins
                "ERROR: first;ERROR: second | second",
                "ERROR: first;all good | first",
                // a leading ERROR: is dropped, with the spaces after it
                "ERROR:    spaced out | spaced out",
                "'  ERROR: indented  ' | indented",
                // only a leading ERROR: is dropped
                "#1 ERROR: inside | #1 ERROR: inside",
                "some error happened;trailing | some error happened",
                "access denied for you;trailing | access denied for you",
                "it failed;trailing | it failed",
                "failed first;error second;done | error second",
                // no line looks like an error: the last line, trimmed
                "'one;  two   ' | two",
                // any case, and a docker hint after the error does not hide it
                "Error response from daemon: no such image;See 'docker --help' | Error response from daemon: no such image",
                // blank lines are not an answer
                "'last words;  ;' | last words",
            })
    void lastErrorLine(String lines, String expected) {
        CapturedRun run = new CapturedRun(1, List.of(lines.split(";")));

        assertThat(run.lastErrorLine()).isEqualTo(expected);
    }

    @Test
    void lastErrorLineOfNoLines() {
        assertThat(new CapturedRun(1, List.of()).lastErrorLine()).isEqualTo("(no output)");
    }

    @Test
    void linesAreACopy() {
        List<String> source = new ArrayList<>(List.of("a"));
        CapturedRun run = new CapturedRun(0, source);
        source.add("b");

        assertThat(run.lines()).containsExactly("a");
    }
}
