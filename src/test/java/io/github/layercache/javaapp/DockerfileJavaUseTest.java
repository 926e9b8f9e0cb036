package io.github.layercache.javaapp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DockerfileJavaUseTest {

    @Test
    void copyFromTheContextUsesIt() {
        assertThat(DockerfileJavaUse.usesContext("FROM jre\nCOPY --link --from=java-app classes/ /\n", "java-app"))
                .isTrue();
        assertThat(DockerfileJavaUse.usesContext("FROM jre\ncopy --from=\"java-app\" classes/ /\n", "java-app"))
                .isTrue();
        assertThat(DockerfileJavaUse.usesContext("FROM java-app AS app\n", "java-app"))
                .isTrue();
        assertThat(DockerfileJavaUse.usesContext("RUN --mount=type=bind,from=java-app,target=/a ls /a\n", "java-app"))
                .isTrue();
    }

    @Test
    void otherStagesAndSimilarNamesDoNot() {
        assertThat(DockerfileJavaUse.usesContext("FROM jre\nCOPY --from=java-app-build /x /x\n", "java-app"))
                .isFalse();
        assertThat(DockerfileJavaUse.usesContext("FROM jre\nCOPY target/app.jar /app.jar\n", "java-app"))
                .isFalse();
        assertThat(DockerfileJavaUse.usesContext("# COPY from java-app later\nFROM jre\n", "java-app"))
                .isFalse();
    }

    @Test
    void jarsCopiedFromTheMainContext() {
        String dockerfile = "FROM jre AS build\nCOPY --from=build /out/tool.jar /tool.jar\n"
                + "COPY --link --chown=1000 target/app.jar \\\n  /app/app.jar\nADD lib/*.jar /lib/\nCOPY run.sh /\n";

        assertThat(DockerfileJavaUse.jarsCopiedFromContext(dockerfile)).containsExactly("target/app.jar", "lib/*.jar");
    }
}
