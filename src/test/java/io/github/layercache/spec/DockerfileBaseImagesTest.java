package io.github.layercache.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

    @Test
    void quotedArgValuesAreOneWordWithTheQuotesRemoved() {
        String dockerfile = """
                ARG DOUBLE="registry.example.com/base:1"
                ARG SINGLE='registry.example.com/base:2'
                ARG NOTE="built by ci=true" BASE="registry.example.com/tools:3"
                FROM ${DOUBLE}
                FROM $SINGLE
                FROM ${BASE}
                FROM registry.example.com/${NOTE}
                """;

        assertThat(DockerfileBaseImages.of(dockerfile, Map.of()))
                .containsExactly(
                        "registry.example.com/base:1",
                        "registry.example.com/base:2",
                        "registry.example.com/tools:3",
                        "registry.example.com/built by ci=true");
    }

    @Test
    void quotesAndEscapesInArgValuesAreReadAsBuildKitReadsThem() {
        String dockerfile = """
                ARG TAG=2
                ARG SINGLE='$TAG' DOUBLE="$TAG" ESCAPED="\\$TAG" BARE=\\$TAG KEPT="a\\b" QUOTE="a\\"b" MIXED=x"y z"'w'
                FROM one:${SINGLE}
                FROM two:${DOUBLE}
                FROM three:${ESCAPED}
                FROM four:${BARE}
                FROM five:${KEPT}
                FROM six:${QUOTE}
                FROM seven:${MIXED}
                """;

        // Single quotes keep everything; in double quotes a backslash escapes only '"', '$' and itself.
        assertThat(DockerfileBaseImages.of(dockerfile, Map.of()))
                .containsExactly(
                        "one:$TAG", "two:2", "three:$TAG", "four:$TAG", "five:a\\b", "six:a\"b", "seven:xy zw");
    }

    @Test
    void theEscapeDirectiveMakesTheBacktickTheLineContinuation() {
        String dockerfile = """
                # escape=`
                ARG BASE=mcr.microsoft.com/windows/servercore:ltsc2022
                FROM `
                    ${BASE} `
                    AS build
                COPY app C:\\app\\
                FROM registry.example.com/runtime:1
                """;

        // With '`' as the escape character a trailing backslash is just a character (Windows paths).
        assertThat(DockerfileBaseImages.of(dockerfile, Map.of()))
                .containsExactly("mcr.microsoft.com/windows/servercore:ltsc2022", "registry.example.com/runtime:1");
    }

    @Test
    void theEscapeDirectiveMayFollowOtherDirectivesInAnySpelling() {
        String dockerfile =
                "\uFEFF# syntax=docker/dockerfile:1\n#  ESCAPE = ` \nARG DIR=\"C:\\tools\\\"\nFROM `\n  a:1\n";

        assertThat(DockerfileBaseImages.of(dockerfile, Map.of())).containsExactly("a:1");
        assertThat(DockerfileBaseImages.of(dockerfile.replace("a:1", "b:${DIR}"), Map.of()))
                .containsExactly("b:C:\\tools\\");
    }

    @Test
    void anEscapeDirectiveBelowTheTopIsAComment() {
        String directiveAfter = """
                %s
                # escape=`
                FROM \\
                    registry.example.com/base:1
                """;

        // Anything but another directive ends the directives: a comment, a blank line, an unknown directive.
        for (String before : new String[] {"# a comment", "", "# unknown=directive", "ARG X=1"}) {
            assertThat(DockerfileBaseImages.of(directiveAfter.formatted(before), Map.of()))
                    .as("after %s", before)
                    .containsExactly("registry.example.com/base:1");
        }
    }

    @ParameterizedTest
    @CsvSource({
        "ubuntu:22.04, docker.io",
        "library/ubuntu, docker.io",
        "team/app:1, docker.io",
        "docker.io/library/ubuntu, docker.io",
        "ghcr.io/team/tools:2, ghcr.io",
        "localhost/app, localhost",
        "localhost:5000/base:1, localhost:5000",
        "127.0.0.1:5501/base:1, 127.0.0.1:5501",
        "123456789012.dkr.ecr.eu-west-1.amazonaws.com/base:1, 123456789012.dkr.ecr.eu-west-1.amazonaws.com"
    })
    void registryHostIsDecidedAsDockerDoes(String image, String host) {
        assertThat(DockerfileBaseImages.registryHost(image)).isEqualTo(host);
    }
}
