package io.github.layercache.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CiEnvironmentTest {

    @ParameterizedTest
    @CsvSource({
        "CODEBUILD_BUILD_ID, orders:6b1f0c1e, AWS CodeBuild",
        "GITHUB_ACTIONS, true, GitHub Actions",
        "GITLAB_CI, true, GitLab CI",
        "JENKINS_URL, https://jenkins.example.com/, Jenkins",
        "BUILDKITE, true, Buildkite",
        "CIRCLECI, true, CircleCI",
        "TF_BUILD, True, Azure Pipelines",
        "BITBUCKET_BUILD_NUMBER, 17, Bitbucket Pipelines",
        "TEAMCITY_VERSION, 2025.03, TeamCity",
        "TRAVIS, true, Travis CI",
        "CI, true, a CI system"
    })
    void eachSystemIsRecognisedByItsOwnVariable(String variable, String value, String system) {
        CiEnvironment ci = CiEnvironment.detect(Map.of(variable, value), Optional.empty());

        assertThat(ci.inCi()).isTrue();
        assertThat(ci.description()).isEqualTo(system + " (" + variable + " is set)");
    }

    @Test
    void codeBuildIsCiWithoutTheGenericVariable() {
        // What CodeBuild sets; it does not set CI.
        Map<String, String> codeBuild = Map.of(
                "CODEBUILD_BUILD_ID", "orders:6b1f0c1e-7d2a-4a8e-9b52-0c0a2f1e9d11",
                "CODEBUILD_CI", "true",
                "CODEBUILD_RESOLVED_SOURCE_VERSION", "0123456789abcdef0123456789abcdef01234567");

        CiEnvironment ci = CiEnvironment.detect(codeBuild, Optional.empty());

        assertThat(ci.inCi()).isTrue();
        assertThat(ci.description()).startsWith("AWS CodeBuild");
    }

    @Test
    void theSpecificSystemIsNamedBeforeTheGenericVariable() {
        CiEnvironment ci = CiEnvironment.detect(Map.of("CI", "true", "GITHUB_ACTIONS", "true"), Optional.empty());

        assertThat(ci.description()).startsWith("GitHub Actions");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "false", "FALSE", "0"})
    void falseEmptyAndZeroDoNotCount(String value) {
        CiEnvironment ci = CiEnvironment.detect(Map.of("CI", value), Optional.empty());

        assertThat(ci.inCi()).isFalse();
    }

    @Test
    void noVariableMeansNoCiAndSaysWhatWasLookedFor() {
        CiEnvironment ci = CiEnvironment.detect(Map.of("HOME", "/root"), Optional.empty());

        assertThat(ci.inCi()).isFalse();
        assertThat(ci.description())
                .startsWith("no CI detected")
                .contains("CODEBUILD_BUILD_ID", "GITHUB_ACTIONS", "GITLAB_CI", "JENKINS_URL", "TF_BUILD", "CI");
    }

    @Test
    void theOverrideBeatsTheEnvironmentBothWays() {
        CiEnvironment forcedOff = CiEnvironment.detect(Map.of("CODEBUILD_BUILD_ID", "x"), Optional.of(false));
        CiEnvironment forcedOn = CiEnvironment.detect(Map.of(), Optional.of(true));

        assertThat(forcedOff.inCi()).isFalse();
        assertThat(forcedOff.description()).contains("forced off");
        assertThat(forcedOn.inCi()).isTrue();
        assertThat(forcedOn.description()).contains("forced on");
    }
}
