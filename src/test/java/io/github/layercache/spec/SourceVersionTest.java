package io.github.layercache.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SourceVersionTest {

    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";
    private final AtomicInteger gitCalls = new AtomicInteger();

    private String[] git(String commit, String branch) {
        gitCalls.incrementAndGet();
        return new String[] {commit, branch};
    }

    @Test
    void codeBuildAnnouncesCommitAndBranchWithoutAskingGit() {
        SourceVersion source = SourceVersion.detect(
                Map.of(
                        "CODEBUILD_RESOLVED_SOURCE_VERSION",
                        SHA,
                        "CODEBUILD_WEBHOOK_HEAD_REF",
                        "refs/heads/feature/pay"),
                () -> git("ffffffffffff", "other"));

        assertThat(source.commit()).contains(SHA);
        assertThat(source.branch()).contains("feature/pay");
        assertThat(source.branchTag()).contains("feature-pay");
        assertThat(source.shortCommit()).contains("0123456789ab");
        assertThat(gitCalls).hasValue(0);
    }

    @Test
    void gitHubPullRequestsUseTheHeadBranch() {
        SourceVersion source = SourceVersion.detect(
                Map.of("GITHUB_SHA", SHA, "GITHUB_HEAD_REF", "fix/login", "GITHUB_REF_NAME", "42/merge"),
                () -> git(null, null));

        assertThat(source.branch()).contains("fix/login");
    }

    @Test
    void gitHubPushesUseTheRefName() {
        SourceVersion source = SourceVersion.detect(
                Map.of("GITHUB_SHA", SHA, "GITHUB_REF_NAME", "main", "GITHUB_REF_TYPE", "branch"),
                () -> git(null, null));

        assertThat(source.branch()).contains("main");
    }

    @Test
    void aPushedGitTagIsNotABranch() {
        SourceVersion source = SourceVersion.detect(
                Map.of("GITHUB_SHA", SHA, "GITHUB_REF_NAME", "v1.2.0", "GITHUB_REF_TYPE", "tag"),
                () -> git(null, null));

        assertThat(source.branch()).isEmpty();
    }

    @Test
    void gitAnswersWhatCiDoesNotSay() {
        SourceVersion source = SourceVersion.detect(Map.of(), () -> git("ABCDEF0123456789", "develop"));

        assertThat(source.commit()).contains("abcdef0123456789");
        assertThat(source.branch()).contains("develop");
        assertThat(gitCalls).hasValue(1);
    }

    @Test
    void aDetachedHeadHasNoBranchAndGarbageIsNoCommit() {
        SourceVersion source =
                SourceVersion.detect(Map.of("GITHUB_SHA", "not-a-sha"), () -> git("fatal: not a git", "HEAD"));

        assertThat(source.commit()).isEmpty();
        assertThat(source.branch()).isEmpty();
    }

    @Test
    void noCiAndNoGitKnowsNothing() {
        SourceVersion source = SourceVersion.detect(Map.of(), () -> git(null, null));

        assertThat(source).isEqualTo(new SourceVersion(Optional.empty(), Optional.empty()));
    }
}
