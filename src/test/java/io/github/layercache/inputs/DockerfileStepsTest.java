package io.github.layercache.inputs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DockerfileStepsTest {

    /** Numbered as BuildKit 0.13 and 0.2x printed this file: [deps 1/4] FROM, [deps 2/4] WORKDIR, … [stage-1 1/2] COPY --from. */
    private static final String MULTI_STAGE = String.join(
            "\n",
            "# syntax=docker/dockerfile:1",
            "ARG BASE=127.0.0.1:5501/base:1",
            "FROM ${BASE} AS deps",
            "ARG N=1",
            "ENV A=b",
            "WORKDIR /w",
            "RUN echo $N \\",
            "    > /n",
            "LABEL x=y",
            "COPY Dockerfile /d",
            "FROM deps",
            "COPY --from=deps /n /m",
            "RUN cat /m",
            "");

    @Test
    void numbersStepsAsBuildKitDoes() {
        DockerfileSteps steps = DockerfileSteps.parse(MULTI_STAGE);

        DockerfileSteps.Stage deps = steps.stage("deps").orElseThrow();
        assertThat(deps.steps())
                .extracting(DockerfileSteps.Step::index, DockerfileSteps.Step::instruction, DockerfileSteps.Step::line)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1, "FROM", 3),
                        org.assertj.core.groups.Tuple.tuple(2, "WORKDIR", 6),
                        org.assertj.core.groups.Tuple.tuple(3, "RUN", 7),
                        org.assertj.core.groups.Tuple.tuple(4, "COPY", 10));
        DockerfileSteps.Stage last = steps.stage("stage-1").orElseThrow();
        assertThat(last.baseStage()).contains("deps");
        assertThat(last.steps()).extracting(DockerfileSteps.Step::instruction).containsExactly("COPY", "RUN");
        assertThat(last.step(1).orElseThrow().from()).contains("deps");
    }

    @Test
    void aRunSeesEveryArgItsStageDeclaredBeforeIt() {
        DockerfileSteps.Stage deps =
                DockerfileSteps.parse(MULTI_STAGE).stage("deps").orElseThrow();

        assertThat(deps.step(3).orElseThrow().args()).containsExactly("N");
        assertThat(deps.step(3).orElseThrow().text()).isEqualTo("RUN echo $N > /n");
        assertThat(deps.step(4).orElseThrow().args()).isEmpty();
        assertThat(deps.step(1).orElseThrow().args()).containsExactly("BASE");
    }

    @Test
    void copySourcesInBothForms() {
        DockerfileSteps steps = DockerfileSteps.parse(
                "FROM x\nCOPY --chown=1:1 --link pom.xml src/ /app/\nCOPY [\"a b.txt\", \"c\", \"/d/\"]\nADD --chmod=755 run.sh /run.sh\n");

        DockerfileSteps.Stage only = steps.stage("").orElseThrow();
        assertThat(only.step(2).orElseThrow().sources()).containsExactly("pom.xml", "src/");
        assertThat(only.step(3).orElseThrow().sources()).containsExactly("a b.txt", "c");
        assertThat(only.step(4).orElseThrow().sources()).containsExactly("run.sh");
        assertThat(only.step(2).orElseThrow().from()).isEqualTo(Optional.empty());
    }

    @Test
    void aHeredocBodyIsPartOfItsStepAndNoInstruction() {
        DockerfileSteps steps = DockerfileSteps.parse("FROM x\nRUN <<EOF\nFROM y\nEOF\nRUN echo done\n");

        assertThat(steps.stages()).hasSize(1);
        assertThat(steps.stage("").orElseThrow().steps())
                .extracting(DockerfileSteps.Step::line)
                .containsExactly(1, 2, 5);
        assertThat(List.of(steps.stage("").orElseThrow().step(2).orElseThrow().text()))
                .singleElement()
                .asString()
                .contains("FROM y");
    }
}
