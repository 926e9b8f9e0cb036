package io.github.layercache.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BuildxVersionTest {

    @ParameterizedTest(name = "{0} -> {1}.{2}.{3}")
    @CsvSource(
            delimiter = '|',
            value = {
                // Debian's docker-buildx package, captured on this machine
                "github.com/docker/buildx 0.13.1+ds1 0.13.1+ds1-3 | 0 | 13 | 1",
                // upstream builds
                "github.com/docker/buildx v0.14.1 59582f0 | 0 | 14 | 1",
                "github.com/docker/buildx v0.20.0-desktop.2 abc | 0 | 20 | 0",
                "github.com/docker/buildx v0.14.0-rc1 deadbee | 0 | 14 | 0",
                "github.com/docker/buildx v0.15 0123456 | 0 | 15 | 0",
                "github.com/docker/buildx v1.2.3 0123456 | 1 | 2 | 3",
            })
    void readsTheVersionOfKnownOutputs(String output, int major, int minor, int patch) {
        assertThat(BuildxVersion.parse(output)).contains(new BuildxVersion(major, minor, patch));
    }

    @Test
    void readsTheVersionDespiteSurroundingWhitespaceAndATrailingNewline() {
        assertThat(BuildxVersion.parse("  github.com/docker/buildx v0.14.1 59582f0\n"))
                .contains(new BuildxVersion(0, 14, 1));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "   ",
                "garbage",
                "github.com/docker/buildx",
                "docker: 'buildx' is not a docker command.",
                "See 'docker --help'",
                "github.com/docker/buildx dev abcdef0",
            })
    void garbageHasNoVersion(String output) {
        assertThat(BuildxVersion.parse(output)).isEmpty();
    }

    @Test
    void theRepositoryPathIsNotTakenForAVersion() {
        // a module path that starts like a version (a registry host by address) is not the version
        assertThat(BuildxVersion.parse("10.0.0.1/docker/buildx v0.14.1 59582f0"))
                .contains(new BuildxVersion(0, 14, 1));
    }

    @Test
    void comparesMajorThenMinorThenPatch() {
        BuildxVersion v0121 = new BuildxVersion(0, 12, 1);
        BuildxVersion v0131 = new BuildxVersion(0, 13, 1);
        BuildxVersion v0140 = new BuildxVersion(0, 14, 0);
        BuildxVersion v0141 = new BuildxVersion(0, 14, 1);
        BuildxVersion v0200 = new BuildxVersion(0, 20, 0);
        BuildxVersion v1000 = new BuildxVersion(1, 0, 0);

        List<BuildxVersion> versions = new ArrayList<>(List.of(v1000, v0141, v0121, v0200, v0140, v0131));
        versions.sort(null);

        assertThat(versions).containsExactly(v0121, v0131, v0140, v0141, v0200, v1000);
        assertThat(v0141.compareTo(new BuildxVersion(0, 14, 1))).isZero();
        assertThat(v0141.compareTo(v0140)).isPositive();
        assertThat(v0140.compareTo(v0141)).isNegative();
        // minor 9 < minor 10: numeric, not lexical
        assertThat(new BuildxVersion(0, 9, 0).compareTo(new BuildxVersion(0, 10, 0)))
                .isNegative();
        assertThat(new BuildxVersion(0, 99, 99).compareTo(v1000)).isNegative();
    }

    @Test
    void atLeastIncludesEquality() {
        BuildxVersion v = new BuildxVersion(0, 14, 1);

        assertThat(v.atLeast(new BuildxVersion(0, 14, 1))).isTrue();
        assertThat(v.atLeast(new BuildxVersion(0, 14, 0))).isTrue();
        assertThat(v.atLeast(new BuildxVersion(0, 14, 2))).isFalse();
        assertThat(v.atLeast(new BuildxVersion(0, 15, 0))).isFalse();
        assertThat(v.atLeast(new BuildxVersion(1, 0, 0))).isFalse();
    }

    @ParameterizedTest(name = "{0}: default-load {1}")
    @CsvSource({
        "github.com/docker/buildx 0.13.1+ds1 0.13.1+ds1-3, false",
        "github.com/docker/buildx v0.12.1 0123456, false",
        "github.com/docker/buildx v0.13.9 0123456, false",
        "github.com/docker/buildx v0.14.0 0123456, true",
        "github.com/docker/buildx v0.14.1 59582f0, true",
        "github.com/docker/buildx v0.20.0-desktop.2 abc, true",
        "github.com/docker/buildx v1.0.0 0123456, true",
    })
    void defaultLoadNeedsBuildx014(String output, boolean supported) {
        BuildxVersion version = BuildxVersion.parse(output).orElseThrow();

        assertThat(version.atLeast(BuildxVersion.DEFAULT_LOAD)).isEqualTo(supported);
    }

    @Test
    void thresholdsAreTheDocumentedVersions() {
        assertThat(BuildxVersion.DEFAULT_LOAD).isEqualTo(new BuildxVersion(0, 14, 0));
        assertThat(BuildxVersion.BUILDKITD_CONFIG_FLAG).isEqualTo(new BuildxVersion(0, 13, 0));
        assertThat(new BuildxVersion(0, 12, 1).atLeast(BuildxVersion.BUILDKITD_CONFIG_FLAG))
                .isFalse();
        assertThat(new BuildxVersion(0, 13, 0).atLeast(BuildxVersion.BUILDKITD_CONFIG_FLAG))
                .isTrue();
    }

    @Test
    void printsAllThreeParts() {
        assertThat(new BuildxVersion(0, 13, 1)).hasToString("0.13.1");
        assertThat(BuildxVersion.parse("github.com/docker/buildx v0.15 0123456").orElseThrow())
                .hasToString("0.15.0");
    }
}
