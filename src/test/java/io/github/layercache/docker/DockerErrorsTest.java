package io.github.layercache.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.layercache.process.CapturedRun;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** How docker's, buildx's and the registry's failures are read; the messages they become are in the callers' tests. */
class DockerErrorsTest {

    private static final String REPO = "127.0.0.1:5501/probe";

    private static final String NO_CREDENTIALS = "push access denied, repository does not exist or may require"
            + " authorization: authorization failed: no basic auth credentials";
    private static final String REGISTRY_DOWN = "failed to do request: Head"
            + " \"https://127.0.0.1:1/v2/probe/blobs/sha256:eaac1b1c5c31\": dial tcp 127.0.0.1:1: connect:"
            + " connection refused";
    private static final String IMMUTABLE = "tag invalid: The image tag '1.0.0' already exists in the 'orders'"
            + " repository and cannot be overwritten because the repository is immutable.";

    // ---------------------------------------------------------------- the last error line

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

        assertThat(DockerErrors.lastErrorLine(run)).isEqualTo(expected);
    }

    @Test
    void lastErrorLineOfNoLines() {
        assertThat(DockerErrors.lastErrorLine(new CapturedRun(1, List.of()))).isEqualTo("(no output)");
    }

    // ---------------------------------------------------------------- push refusals

    static Stream<Arguments> reasons() {
        String credentials = "Check the credentials";
        String immutable = "immutable tags";
        String name = "Check the image repository name";
        return Stream.of(
                Arguments.of(NO_CREDENTIALS, credentials),
                Arguments.of("denied: requested access to the resource is denied", credentials),
                Arguments.of(
                        "DENIED: Your authorization token has expired. Reauthenticate and try again.", credentials),
                Arguments.of("unauthorized: authentication required", credentials),
                Arguments.of("received unexpected HTTP status: 403 Forbidden", credentials),
                Arguments.of(IMMUTABLE, immutable),
                Arguments.of("tag invalid: tag already exists", immutable),
                Arguments.of(
                        "name unknown: The repository with name 'orders' does not exist in the registry with id"
                                + " '123456789012'",
                        name),
                Arguments.of("invalid reference format", name),
                Arguments.of("name invalid: invalid repository name", name),
                Arguments.of(REGISTRY_DOWN, null),
                Arguments.of("dial tcp 10.0.0.1:443: i/o timeout", null),
                Arguments.of("received unexpected HTTP status: 503 Service Unavailable", null),
                Arguments.of(
                        "toomanyrequests: You have reached your pull rate limit. You may increase the limit by"
                                + " authenticating and upgrading: https://www.docker.com/increase-rate-limit",
                        null),
                Arguments.of("received unexpected HTTP status: 500 Internal Server Error", null),
                Arguments.of("net/http: TLS handshake timeout", null),
                Arguments.of("unexpected EOF", null),
                Arguments.of("write tcp 10.0.0.2:50514->10.0.0.1:443: write: connection reset by peer", null),
                Arguments.of("'docker push " + REPO + ":1' did not finish within 600 s and was stopped", null));
    }

    @ParameterizedTest
    @MethodSource("reasons")
    void refusalClassification(String reason, String hint) {
        Optional<String> refusal = DockerErrors.pushRefusal(reason);

        if (hint == null) {
            assertThat(refusal).as("retryable: %s", reason).isEmpty();
        } else {
            assertThat(refusal).as("refusal: %s", reason).hasValueSatisfying(r -> assertThat(r)
                    .contains(hint));
        }
    }

    // ---------------------------------------------------------------- cache export refusals

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "tag invalid: The image tag 'buildcache' already exists in the 'orders' repository and cannot be"
                        + " overwritten because the repository is immutable. | The repository keeps its tags immutable",
                "unexpected status from HEAD request: 401 Unauthorized | The registry did not accept the credentials",
                "denied: User is not authorized to perform ecr:PutImage | The credentials may read but not write",
                "name unknown: The repository with name 'orders' does not exist | The repository does not exist",
            })
    void aRefusedExportSaysWhyAndWhatToChange(String message, String fix) {
        assertThat(DockerErrors.cacheExportFix(message)).startsWith(" " + fix);
    }

    @Test
    void anExportFailureOfAnotherKindAddsNoGuess() {
        assertThat(DockerErrors.cacheExportFix("connection reset by peer")).isEmpty();
    }
}
