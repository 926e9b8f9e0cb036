package io.github.layercache.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A captured command's lines; reading them is DockerErrorsTest's, running the command DockerCliTest's. */
class CapturedRunTest {

    @Test
    void linesAreACopy() {
        List<String> source = new ArrayList<>(List.of("a"));
        CapturedRun run = new CapturedRun(0, source);
        source.add("b");

        assertThat(run.lines()).containsExactly("a");
    }
}
