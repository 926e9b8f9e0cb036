package io.github.layercache.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

    @ParameterizedTest
    @CsvSource({
        "refs/heads/release/2.x, release/2.x",
        "main, main",
        "feature/login-page, feature/login-page",
    })
    void codeBuildsSourceVersionNamesABranchInTheseForms(String version, String branch) {
        SourceVersion source = SourceVersion.detect(
                Map.of("CODEBUILD_BUILD_ID", "orders:1", "CODEBUILD_SOURCE_VERSION", version), () -> git(SHA, null));

        assertThat(source.branch()).contains(branch);
    }

    @ParameterizedTest
    @CsvSource({
        "0123456789abcdef0123456789abcdef01234567, a commit id",
        "0123abc, a short commit id",
        "pr/42, a pull request",
        "refs/tags/v1.2.0, a tag ref",
        "refs/pull/42/head, a pull request ref",
        "'arn:aws:s3:::codepipeline-eu-west-1-1234/orders/SourceArti/abc.zip', a CodePipeline artifact",
        "'3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY+MTRCxf3vjVBH40Nrjfkd', an S3 object version",
    })
    void codeBuildsSourceVersionNamesNoBranchInTheseForms(String version, String form) {
        SourceVersion source = SourceVersion.detect(
                Map.of("CODEBUILD_BUILD_ID", "orders:1", "CODEBUILD_SOURCE_VERSION", version), () -> git(SHA, "HEAD"));

        assertThat(source.branch()).as(form).isEmpty();
    }

    @Test
    void anS3SourcesVersionIsNoBranchWhateverItLooksLike() {
        SourceVersion source = SourceVersion.detect(
                Map.of(
                        "CODEBUILD_SOURCE_VERSION", "Version1",
                        "CODEBUILD_SOURCE_REPO_URL", "s3://builds/orders/source.zip"),
                () -> git(null, null));

        assertThat(source.branch()).isEmpty();
    }

    @Test
    void theWebhooksHeadRefWinsOverTheSourceVersion() {
        SourceVersion source = SourceVersion.detect(
                Map.of("CODEBUILD_WEBHOOK_HEAD_REF", "refs/heads/feature/x", "CODEBUILD_SOURCE_VERSION", "pr/7"),
                () -> git(null, null));

        assertThat(source.branch()).contains("feature/x");
    }
}
