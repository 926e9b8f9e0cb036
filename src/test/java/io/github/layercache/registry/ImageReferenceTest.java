package io.github.layercache.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.layercache.core.InvalidSpecException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageReferenceTest {

    @ParameterizedTest
    @CsvSource({
        "registry.example.com/team/app, registry.example.com, team/app",
        "127.0.0.1:5000/app, 127.0.0.1:5000, app",
        "myhost:5000/app, myhost:5000, app",
        "localhost/app, localhost, app",
        "localhost:5000/a/b/c, localhost:5000, a/b/c",
        "123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders, 123456789012.dkr.ecr.eu-west-1.amazonaws.com, orders",
        "123456789012.dkr.ecr.us-east-1.amazonaws.com/team/orders-api, 123456789012.dkr.ecr.us-east-1.amazonaws.com, team/orders-api",
    })
    void detectsTheRegistryHost(String value, String registry, String path) throws Exception {
        ImageReference reference = ImageReference.parse(value, "image");

        assertThat(reference.registryHost()).contains(registry);
        assertThat(reference.path()).isEqualTo(path);
        assertThat(reference.name()).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"app", "library/app", "team/sub/app", "my_app", "my__app", "my-app", "my--app", "a.b"})
    void treatsAFirstComponentWithoutDotPortOrLocalhostAsPath(String value) throws Exception {
        ImageReference reference = ImageReference.parse(value, "image");

        assertThat(reference.registryHost()).isEmpty();
        assertThat(reference.path()).isEqualTo(value);
        assertThat(reference.name()).isEqualTo(value);
    }

    @Test
    void trimsSurroundingWhitespace() throws Exception {
        assertThat(ImageReference.parse("  registry.example.com/app \n", "image")
                        .name())
                .isEqualTo("registry.example.com/app");
    }

    @Test
    void withTagAppendsTheTag() throws Exception {
        assertThat(ImageReference.parse("127.0.0.1:5000/app", "image").withTag("1.0"))
                .isEqualTo("127.0.0.1:5000/app:1.0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Team/app", "registry.example.com/App", "registry.example.com/team/MyApp"})
    void rejectsUppercasePaths(String value) {
        InvalidSpecException e = rejected(value, "image");

        assertThat(e).hasMessageContaining("lowercase");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "registry.example.com/app:1.0",
                "app:latest",
                "app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                "127.0.0.1:5000/app:1.0"
            })
    void rejectsATagOrDigestInTheRepository(String value) {
        InvalidSpecException e = rejected(value, "image");

        assertThat(e).hasMessageContaining("without tag or digest");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "-bad.example.com/app",
                "bad_host.example.com/app",
                "host.example.com:port/app",
                "host.example.com./app"
            })
    void rejectsBadRegistryHosts(String value) {
        InvalidSpecException e = rejected(value, "registry");

        assertThat(e).hasMessageContaining("Invalid registry host");
    }

    @ParameterizedTest
    @ValueSource(strings = {"app-", "_app", "a___b", "a//b", "team/", "a..b", "app name"})
    void rejectsBadPathComponents(String value) {
        rejected(value, "image");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void rejectsAnEmptyRepository(String value) {
        InvalidSpecException e = rejected(value, "image");

        assertThat(e).hasMessageContaining("empty");
    }

    @Test
    void rejectsNull() {
        rejected(null, "image");
    }

    @Test
    void namesTheParameterItWasGiven() {
        assertThat(rejected("Bad/App", "cacheRef").parameter()).contains("cacheRef");
        assertThat(rejected("Bad/App", "registry").parameter()).contains("registry");
    }

    @ParameterizedTest
    @CsvSource({
        "My_App.Service, my_app.service",
        "my-app, my-app",
        "My App, my-app",
        "orders--api, orders-api",
        "_leading.and.trailing_, leading.and.trailing",
        "a._-b, a.b",
        "@scope/pkg, scope-pkg",
        "UPPER, upper"
    })
    void derivesAValidRepositoryNameFromAnArtifactId(String artifactId, String expected) throws Exception {
        String name = ImageReference.repositoryName(artifactId);

        assertThat(name).isEqualTo(expected);
        assertThat(ImageReference.parse(name, "image").path()).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "1.0+build.5, 1.0-build.5",
        "1.0.0-SNAPSHOT, 1.0.0-SNAPSHOT",
        "2.1 beta/3, 2.1-beta-3",
        "-rc1, v-rc1",
        ".hidden, v.hidden"
    })
    void derivesAValidTagFromAVersion(String version, String expected) throws Exception {
        String tag = ImageReference.tagFrom(version);

        assertThat(tag).isEqualTo(expected);
        assertThat(ImageReference.validTag(tag, "tags")).isEqualTo(expected);
    }

    @Test
    void truncatesALongVersionTo128Characters() throws Exception {
        String tag = ImageReference.tagFrom("1".repeat(200));

        assertThat(tag).hasSize(128);
        assertThat(ImageReference.validTag(tag, "tags")).isEqualTo(tag);
    }

    @ParameterizedTest
    @ValueSource(strings = {"latest", "1.0", "1.0.0-SNAPSHOT", "_underscore", "A", "v1_2.3-x"})
    void acceptsValidTags(String tag) throws Exception {
        assertThat(ImageReference.validTag(tag, "tags")).isEqualTo(tag);
    }

    @Test
    void acceptsATagOfExactly128Characters() throws Exception {
        String tag = "a".repeat(128);

        assertThat(ImageReference.validTag(tag, "tags")).isEqualTo(tag);
    }

    @Test
    void rejectsATagOf129Characters() {
        InvalidSpecException e = catchThrowableOfType(
                InvalidSpecException.class, () -> ImageReference.validTag("a".repeat(129), "tags"));

        assertThat(e).isNotNull();
        assertThat(e.parameter()).contains("tags");
    }

    @ParameterizedTest
    @ValueSource(strings = {".hidden", "-dash", "", "with space", "a+b", "a:b", "a/b"})
    void rejectsInvalidTags(String tag) {
        InvalidSpecException e =
                catchThrowableOfType(InvalidSpecException.class, () -> ImageReference.validTag(tag, "cacheTag"));

        assertThat(e).isNotNull();
        assertThat(e.parameter()).contains("cacheTag");
        assertThat(e).hasMessageContaining("Invalid image tag");
    }

    @Test
    void validTagTrimsWhitespace() throws Exception {
        assertThat(ImageReference.validTag(" 1.0 ", "tags")).isEqualTo("1.0");
    }

    private static InvalidSpecException rejected(String value, String parameter) {
        InvalidSpecException e =
                catchThrowableOfType(InvalidSpecException.class, () -> ImageReference.parse(value, parameter));
        assertThat(e).as("parse(%s) must fail", value).isNotNull();
        assertThat(e.parameter()).contains(parameter);
        return e;
    }
}
