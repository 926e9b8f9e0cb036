package io.github.layercache.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.layercache.core.InvalidSpecException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TagTemplateTest {

    private static final SourceVersion KNOWN =
            new SourceVersion(Optional.of("0123456789abcdef0123456789abcdef01234567"), Optional.of("feature/login"));

    @Test
    void placeholdersAreFilled() throws Exception {
        assertThat(TagTemplate.expand(
                        List.of(
                                "{version}",
                                "{shortCommit}",
                                "{commit}",
                                "{branch}",
                                "{branch}-{shortCommit}",
                                "latest"),
                        "1.4.0-SNAPSHOT",
                        KNOWN))
                .containsExactly(
                        "1.4.0-SNAPSHOT",
                        "0123456789ab",
                        "0123456789abcdef0123456789abcdef01234567",
                        "feature-login",
                        "feature-login-0123456789ab",
                        "latest");
    }

    @Test
    void aVersionIsMadeAValidTag() throws Exception {
        assertThat(TagTemplate.expand(List.of("{version}"), "1.0+build.7", KNOWN))
                .containsExactly("1.0-build.7");
    }

    @Test
    void anUnknownCommitIsAnErrorThatSaysWhereItComesFrom() {
        InvalidSpecException e = catchThrowableOfType(
                InvalidSpecException.class,
                () -> TagTemplate.expand(
                        List.of("{shortCommit}"), "1.0", new SourceVersion(Optional.empty(), Optional.empty())));

        assertThat(e.parameter()).contains("tags");
        assertThat(e.getMessage())
                .contains("{shortCommit}")
                .contains("knows no commit")
                .contains("GITHUB_SHA")
                .contains("git checkout");
    }

    @Test
    void anUnknownBranchIsAnError() {
        InvalidSpecException e = catchThrowableOfType(
                InvalidSpecException.class,
                () -> TagTemplate.expand(
                        List.of("{branch}"), "1.0", new SourceVersion(Optional.of("abcdef0"), Optional.empty())));

        assertThat(e.getMessage()).contains("knows no branch");
    }

    @Test
    void blankTagsAreDropped() throws Exception {
        assertThat(TagTemplate.expand(List.of(" 1.0 ", "  "), "1.0", KNOWN)).containsExactly("1.0");
    }
}
