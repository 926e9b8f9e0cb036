package io.github.layercache.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DockerfileBaseImagesTest {

    private static final String ECR = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";

    @Test
    void aPlainFromIsItsImage() {
        assertThat(DockerfileBaseImages.of("FROM ubuntu:22.04\nRUN true\n", Map.of()))
                .containsExactly("ubuntu:22.04");
    }

    @Test
    void anArgDefaultIsSubstituted() {
        String dockerfile = """
                ARG BASE=%s/base:1
                FROM ${BASE}
                """.formatted(ECR);

        assertThat(DockerfileBaseImages.of(dockerfile, Map.of())).containsExactly(ECR + "/base:1");
    }

    @Test
    void aBuildArgOverridesTheDefault() {
        String dockerfile = """
                ARG BASE=ubuntu:22.04
                FROM ${BASE}
                """;

        assertThat(DockerfileBaseImages.of(dockerfile, Map.of("BASE", "127.0.0.1:5501/base:1")))
                .containsExactly("127.0.0.1:5501/base:1");
    }

    @Test
    void aBuildArgFillsAnArgWithoutDefault() {
        String dockerfile = """
                ARG REGISTRY
                FROM $REGISTRY/base:1
                """;

        assertThat(DockerfileBaseImages.of(dockerfile, Map.of("REGISTRY", ECR))).containsExactly(ECR + "/base:1");
    }

    @Test
    void aBuildArgForAnUndeclaredArgIsNotUsed() {
        // Docker only substitutes declared ARGs; an undeclared variable is empty.
        String dockerfile = "FROM ${REGISTRY:-docker.io}/library/ubuntu\n";

        assertThat(DockerfileBaseImages.of(dockerfile, Map.of("REGISTRY", ECR)))
                .containsExactly("docker.io/library/ubuntu");
    }

    @Test
    void aDefaultInTheReferenceIsUsedWhenTheArgIsUnset() {
        String dockerfile = """
                ARG REGISTRY
                FROM ${REGISTRY:-localhost:5000}/base:${TAG:-1}
                """;

        assertThat(DockerfileBaseImages.of(dockerfile, Map.of())).containsExactly("localhost:5000/base:1");
        assertThat(DockerfileBaseImages.of(dockerfile, Map.of("REGISTRY", ECR))).containsExactly(ECR + "/base:1");
    }

    @Test
    void aBareDollarVariableIsSubstituted() {
        String dockerfile = """
                ARG REGISTRY=%s
                ARG TAG=2
                FROM $REGISTRY/base:$TAG
                """.formatted(ECR);

        assertThat(DockerfileBaseImages.of(dockerfile, Map.of())).containsExactly(ECR + "/base:2");
    }

    @Test
    void quotedArgDefaultsAreUnquoted() {
        String dockerfile = """
                ARG A="ghcr.io/team/a:1" B='quay.io/team/b:2'
                FROM $A
                FROM ${B}
                """;

        assertThat(DockerfileBaseImages.of(dockerfile, Map.of()))
                .containsExactly("ghcr.io/team/a:1", "quay.io/team/b:2");
    }

    @Test
    void anArgAfterTheFirstFromDoesNotChangeLaterFromLines() {
        String dockerfile = """
                ARG BASE=ubuntu:22.04
                FROM ${BASE} AS one
                ARG BASE=debian:12
                FROM ${BASE}
                """;

        assertThat(DockerfileBaseImages.of(dockerfile, Map.of())).containsExactly("ubuntu:22.04");
    }

    @Test
    void flagsSuchAsPlatformAreSkipped() {
        String dockerfile = """
                FROM --platform=$BUILDPLATFORM golang:1.22 AS build
                FROM --platform=linux/amd64 %s/runtime:3
                """.formatted(ECR);

        assertThat(DockerfileBaseImages.of(dockerfile, Map.of())).containsExactly("golang:1.22", ECR + "/runtime:3");
    }

    @Test
    void earlierStagesAndScratchAreNotImages() {
        String dockerfile = """
                FROM maven:3.9 AS Build
                RUN mvn package
                FROM build AS test
                FROM scratch AS empty
                FROM SCRATCH
                FROM test
                COPY --from=build /x /x
                FROM eclipse-temurin:21-jre
                """;

        assertThat(DockerfileBaseImages.of(dockerfile, Map.of()))
                .containsExactly("maven:3.9", "eclipse-temurin:21-jre");
    }

    @Test
    void aStageNameUsedBeforeItIsDeclaredIsStillAnImage() {
        // "FROM base" before any stage named base pulls the image "base".
        String dockerfile = """
                FROM base
                FROM alpine AS base
                FROM base
                """;

        assertThat(DockerfileBaseImages.of(dockerfile, Map.of())).containsExactly("base", "alpine");
    }

    @Test
    void continuationsCommentsAndLowercaseInstructionsAreHandled() {
        String dockerfile = """
                # syntax=docker/dockerfile:1
                # FROM commented-out:1
                ARG \\
                    BASE=%s/base:1

                from \\
                    --platform=$BUILDPLATFORM \\
                    ${BASE} \\
                    as builder
                RUN echo one \\
                    && echo two
                   # an indented comment
                From ghcr.io/team/tools:2
                frOM builder
                """.formatted(ECR);

        assertThat(DockerfileBaseImages.of(dockerfile, Map.of()))
                .containsExactly(ECR + "/base:1", "ghcr.io/team/tools:2");
    }

    @Test
    void windowsLineEndingsWork() {
        String dockerfile = "ARG TAG=3\r\nFROM \\\r\n  alpine:${TAG}\r\nRUN true\r\n";

        assertThat(DockerfileBaseImages.of(dockerfile, Map.of())).containsExactly("alpine:3");
    }

    @Test
    void eachImageIsListedOnceInOrder() {
        String dockerfile = """
                FROM b:1 AS one
                FROM a:1 AS two
                FROM b:1 AS three
                """;

        assertThat(DockerfileBaseImages.of(dockerfile, Map.of())).containsExactly("b:1", "a:1");
    }

    @Test
    void anEmptyDockerfileHasNoImages() {
        assertThat(DockerfileBaseImages.of("", Map.of())).isEmpty();
        assertThat(DockerfileBaseImages.of("# nothing\n\nFROM\n", Map.of())).isEmpty();
    }

    void registryHostIsDecidedAsDockerDoes(String image, String host) {
        assertThat(DockerfileBaseImages.registryHost(image)).isEqualTo(host);
    }
}
