package io.github.layercache.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.layercache.log.BuildLog;
import io.github.layercache.testing.RecordingBuildLog;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CapturedRunTest {

    private static final Duration GENEROUS = Duration.ofSeconds(30);

    private final LocalProcessRunner runner = new LocalProcessRunner();
    private final RecordingBuildLog log = new RecordingBuildLog();

    @AfterEach
    void warnsAboutNothing() {
        assertThat(log.warnings())
                .as("a captured run reports its lines at debug or info only")
                .isEmpty();
    }

    @Test
    void keepsEveryLineInOrderAndEchoesItToTheLog() throws Exception {
        CapturedRun run = sh("echo one; echo two; echo '  three  '; echo four", BuildLog::info);

        assertThat(run.lines()).containsExactly("one", "two", "  three  ", "four");
        assertThat(run.output()).isEqualTo("one\ntwo\n  three  \nfour");
        assertThat(log.infos()).containsExactly("one", "two", "  three  ", "four");
        assertThat(log.debugs()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.succeeded()).isTrue();
    }

    @Test
    void theEchoFunctionChoosesTheLevel() throws Exception {
        sh("echo quiet", BuildLog::debug);

        assertThat(log.debugs()).containsExactly("quiet");
        assertThat(log.infos()).isEmpty();
    }

    @Test
    void keepsStandardErrorToo() throws Exception {
        CapturedRun run = sh("echo out; echo err >&2; exit 0", BuildLog::info);

        assertThat(run.lines()).containsExactlyInAnyOrder("out", "err");
        assertThat(log.infos()).containsExactlyInAnyOrder("out", "err");
    }

    @Test
    void manyLinesAreAllKeptInOrder() throws Exception {
        CapturedRun run = capture(List.of("seq", "1", "5000"), Map.of(), Set.of(), BuildLog::debug);

        assertThat(run.lines()).hasSize(5000);
        assertThat(run.lines().get(0)).isEqualTo("1");
        assertThat(run.lines().get(4999)).isEqualTo("5000");
        assertThat(run.lines()).isEqualTo(log.debugs());
    }

    @Test
    void reportsTheExitCode() throws Exception {
        CapturedRun run = sh("echo 'ERROR: boom' >&2; exit 3", BuildLog::info);

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.succeeded()).isFalse();
        assertThat(run.lastErrorLine()).isEqualTo("boom");
    }

    @Test
    void passesTheEnvironmentAndRedactsSecrets() throws Exception {
        CapturedRun run = capture(
                List.of("sh", "-c", "echo \"token=$LC_TOKEN\""),
                Map.of("LC_TOKEN", "hunter2"),
                Set.of("hunter2"),
                BuildLog::info);

        assertThat(run.lines()).containsExactly("token=****");
        assertThat(log.infos()).containsExactly("token=****");
    }

    @Test
    void lastErrorLineOfARealFailure() throws Exception {
        CapturedRun run = sh(
                "echo 'ERROR: first problem'; echo 'progress 1'; echo 'push access denied, no basic auth"
                        + " credentials'; echo 'cleaning up'",
                BuildLog::debug);

        assertThat(run.lastErrorLine()).isEqualTo("push access denied, no basic auth credentials");
    }

    @Test
    void programThatCannotStartIsAnIOException() {
        IOException e = catchThrowableOfType(
                IOException.class,
                () -> capture(List.of("/nonexistent/layercache-docker"), Map.of(), Set.of(), BuildLog::info));

        assertThat(e).isNotNull();
        assertThat(log.infos()).isEmpty();
    }

    @Test
    void emptyOutputHasNoErrorLine() throws Exception {
        CapturedRun run = sh("exit 1", BuildLog::info);

        assertThat(run.lines()).isEmpty();
        assertThat(run.output()).isEmpty();
        assertThat(run.lastErrorLine()).isEqualTo("(no output)");
    }

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

    private CapturedRun sh(String script, java.util.function.BiConsumer<BuildLog, String> echo)
            throws IOException, InterruptedException {
        return capture(List.of("sh", "-c", script), Map.of(), Set.of(), echo);
    }

    private CapturedRun capture(
            List<String> command,
            Map<String, String> environment,
            Set<String> redactions,
            java.util.function.BiConsumer<BuildLog, String> echo)
            throws IOException, InterruptedException {
        return CapturedRun.of(runner, command, GENEROUS, environment, redactions, echo, log);
    }
}
