package io.github.layercache.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.layercache.core.LayercacheException;
import io.github.layercache.docker.DockerCli.Command;
import io.github.layercache.docker.DockerCli.Echo;
import io.github.layercache.process.CapturedRun;
import io.github.layercache.process.LocalProcessRunner;
import io.github.layercache.process.ProcessTimeoutException;
import io.github.layercache.testing.RecordingBuildLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The docker seam with real child processes: {@code sh} and {@code seq} stand in for the docker
 * executable, so that what the seam does with a program's output, environment and failures is real.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DockerCliTest {

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
        CapturedRun run = sh("echo one; echo two; echo '  three  '; echo four", Echo.INFO);

        assertThat(run.lines()).containsExactly("one", "two", "  three  ", "four");
        assertThat(run.output()).isEqualTo("one\ntwo\n  three  \nfour");
        assertThat(log.infos()).containsExactly("one", "two", "  three  ", "four");
        assertThat(log.debugs()).containsExactly("Running sh -c echo one; echo two; echo '  three  '; echo four");
        assertThat(run.exitCode()).isZero();
        assertThat(run.succeeded()).isTrue();
    }

    @Test
    void theEchoChoosesTheLevel() throws Exception {
        sh("echo quiet", Echo.DEBUG);

        assertThat(log.debugs()).containsExactly("Running sh -c echo quiet", "quiet");
        assertThat(log.infos()).isEmpty();
    }

    @Test
    void keepsStandardErrorToo() throws Exception {
        CapturedRun run = sh("echo out; echo err >&2; exit 0", Echo.INFO);

        assertThat(run.lines()).containsExactlyInAnyOrder("out", "err");
        assertThat(log.infos()).containsExactlyInAnyOrder("out", "err");
    }

    @Test
    void manyLinesAreAllKeptInOrder() throws Exception {
        CapturedRun run = new DockerCli("seq", runner, log)
                .capture(Command.of(GENEROUS, "1", "5000"), DockerEnvironment.inherited(), Echo.DEBUG);

        assertThat(run.lines()).hasSize(5000);
        assertThat(run.lines().get(0)).isEqualTo("1");
        assertThat(run.lines().get(4999)).isEqualTo("5000");
        assertThat(run.lines()).isEqualTo(log.debugs().subList(1, log.debugs().size()));
    }

    @Test
    void reportsTheExitCode() throws Exception {
        CapturedRun run = sh("echo 'ERROR: boom' >&2; exit 3", Echo.INFO);

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.succeeded()).isFalse();
        assertThat(DockerErrors.lastErrorLine(run)).isEqualTo("boom");
    }

    @Test
    void passesTheEnvironmentAndMasksItsSecretsInOutputAndCommandLine() throws Exception {
        DockerEnvironment environment = new DockerEnvironment(Map.of("LC_TOKEN", "hunter2"), Set.of("hunter2"));

        CapturedRun run = new DockerCli("sh", runner, log)
                .capture(Command.of(GENEROUS, "-c", "echo \"token=$LC_TOKEN\"; true hunter2"), environment, Echo.INFO);

        assertThat(run.lines()).containsExactly("token=****");
        assertThat(log.infos()).containsExactly("token=****");
        assertThat(log.debugs()).containsExactly("Running sh -c echo \"token=$LC_TOKEN\"; true ****");
    }

    @Test
    void theShownCommandLineIsTheOneLogged() throws Exception {
        Command command =
                Command.of(GENEROUS, "-c", "true NPM_TOKEN=abc").shownAs(List.of("-c", "true NPM_TOKEN=****"));

        new DockerCli("sh", runner, log).capture(command, DockerEnvironment.inherited(), Echo.DEBUG);

        assertThat(log.debugs()).containsExactly("Running sh -c true NPM_TOKEN=****");
    }

    @Test
    void lastErrorLineOfARealFailure() throws Exception {
        CapturedRun run = sh(
                "echo 'ERROR: first problem'; echo 'progress 1'; echo 'push access denied, no basic auth"
                        + " credentials'; echo 'cleaning up'",
                Echo.DEBUG);

        assertThat(DockerErrors.lastErrorLine(run)).isEqualTo("push access denied, no basic auth credentials");
    }

    @Test
    void aProgramThatCannotStartIsOneClearErrorNamingTheParameter() {
        LayercacheException e = catchThrowableOfType(
                LayercacheException.class, () -> new DockerCli("/nonexistent/layercache-docker", runner, log)
                        .capture(Command.of(GENEROUS, "buildx", "version"), DockerEnvironment.inherited(), Echo.INFO));

        assertThat(e).isNotNull();
        assertThat(e.getMessage())
                .startsWith("Cannot run '/nonexistent/layercache-docker': ")
                .endsWith(". Install the Docker CLI with the buildx plugin, or point the plugin at it.");
        assertThat(e.parameter()).contains("dockerExecutable");
        assertThat(log.infos()).isEmpty();
    }

    @Test
    void aShortCommandPastItsTimeoutFailsWithTheTimeoutAsItsReason() throws Exception {
        CapturedRun run = new DockerCli("sh", runner, log)
                .capture(
                        Command.of(Duration.ofMillis(300), "-c", "sleep 30"), DockerEnvironment.inherited(), Echo.INFO);

        assertThat(run.exitCode()).isEqualTo(CapturedRun.TIMED_OUT);
        assertThat(DockerErrors.lastErrorLine(run)).contains("did not finish within");
    }

    @Test
    void aStreamedCommandPastItsTimeoutThrows() {
        ProcessTimeoutException e =
                catchThrowableOfType(ProcessTimeoutException.class, () -> new DockerCli("sh", runner, log)
                        .stream(
                                Command.of(Duration.ofMillis(300), "-c", "sleep 30"),
                                DockerEnvironment.inherited(),
                                (stream, line) -> {}));

        assertThat(e).isNotNull();
        assertThat(e.timeout()).isEqualTo(Duration.ofMillis(300));
    }

    @Test
    void streamedLinesReachTheConsumerAndRunInTheGivenDirectory() throws Exception {
        List<String> lines = new ArrayList<>();

        new DockerCli("sh", runner, log)
                .stream(
                        Command.of(GENEROUS, "-c", "pwd").in(java.nio.file.Path.of("/")),
                        DockerEnvironment.inherited(),
                        (stream, line) -> lines.add(line));

        assertThat(lines).containsExactly("/");
    }

    @Test
    void emptyOutputHasNoErrorLine() throws Exception {
        CapturedRun run = sh("exit 1", Echo.INFO);

        assertThat(run.lines()).isEmpty();
        assertThat(run.output()).isEmpty();
        assertThat(DockerErrors.lastErrorLine(run)).isEqualTo("(no output)");
    }

    private CapturedRun sh(String script, Echo echo) throws Exception {
        return new DockerCli("sh", runner, log)
                .capture(Command.of(GENEROUS, "-c", script), DockerEnvironment.inherited(), echo);
    }
}
