package io.github.layercache.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.layercache.core.LayercacheException;
import io.github.layercache.testing.RegistryAnswers;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading the digest out of a registry's answer; the lookups themselves run in TagPusherTest. */
class RegistryImagesTest {

    private static final String DIGEST = "sha256:fd9164660368eb80ea83d9ad08c17bd027f7a5135d6a80d54c53fa39bdb00b34";
    private static final String OTHER_DIGEST =
            "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private static final String REPO = "127.0.0.1:5501/probe";
    private static final List<String> PUSH_OUTPUT = List.of(
            "The push refers to repository [" + REPO + "]",
            "eaac1b1c5c31: Pushed",
            "c2bd4b1e6d3c: Pushed",
            "latest: digest: " + OTHER_DIGEST + " size: 855");

    @Test
    void manifestDigestIsReadFromImagetoolsJson() throws Exception {
        assertThat(RegistryImages.manifestDigest(RegistryAnswers.IMAGETOOLS_INDEX.formatted(DIGEST), REPO + ":1"))
                .isEqualTo(DIGEST);
        assertThat(RegistryImages.manifestDigest(
                        "{\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"digest\":\"" + OTHER_DIGEST
                                + "\",\"size\":855}",
                        REPO + ":1"))
                .isEqualTo(OTHER_DIGEST);
    }

    @Test
    void manifestDigestIsReadFromAPushOutputLine() throws Exception {
        assertThat(RegistryImages.manifestDigest("1: digest: " + DIGEST + " size: 855", REPO + ":1"))
                .isEqualTo(DIGEST);
        assertThat(RegistryImages.manifestDigest(String.join("\n", PUSH_OUTPUT), REPO + ":latest"))
                .isEqualTo(OTHER_DIGEST);
    }

    @Test
    void manifestDigestWithoutADigestFails() {
        for (String answer : List.of(
                "",
                "garbage",
                "{\"mediaType\": \"application/vnd.oci.image.index.v1+json\", \"size\": 855}",
                "{\"digest\": \"md5:abc\"}",
                "{\"digest\": 5}",
                "[\"" + DIGEST + "\"]",
                "1: digest: sha256:short size: 855")) {
            LayercacheException e = catchThrowableOfType(
                    LayercacheException.class, () -> RegistryImages.manifestDigest(answer, REPO + ":1"));

            assertThat(e)
                    .as("answer %s", answer)
                    .isNotNull()
                    .hasMessage("The registry's answer for " + REPO + ":1 holds no digest: " + answer);
        }
    }

    @Test
    void aDeeplyNestedAnswerIsNoDigestRatherThanAStackOverflow() {
        String hostile = "[".repeat(100_000) + "]".repeat(100_000);

        LayercacheException e = catchThrowableOfType(
                LayercacheException.class, () -> RegistryImages.manifestDigest(hostile, REPO + ":1"));

        assertThat(e).isNotNull().hasMessageStartingWith("The registry's answer for " + REPO + ":1 holds no digest");
    }
}
