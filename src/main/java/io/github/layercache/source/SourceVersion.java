package io.github.layercache.source;

import io.github.layercache.core.Text;
import io.github.layercache.registry.ImageReference;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The commit and branch a build is for, as CI systems announce them: AWS CodeBuild
 * ({@code CODEBUILD_RESOLVED_SOURCE_VERSION}, {@code CODEBUILD_WEBHOOK_HEAD_REF}, and
 * {@code CODEBUILD_SOURCE_VERSION} in the forms that name a branch), GitHub Actions
 * ({@code GITHUB_SHA}, {@code GITHUB_HEAD_REF} for pull requests, {@code GITHUB_REF_NAME}), else git.
 */
public record SourceVersion(Optional<String> commit, Optional<String> branch) {

    /** Reads the CI variables; {@code git} answers what they do not ({@code [commit, branch]}, either may be null). */
    public static SourceVersion detect(Map<String, String> environment, Supplier<String[]> git) {
        Optional<String> commit = first(environment, "CODEBUILD_RESOLVED_SOURCE_VERSION", "GITHUB_SHA")
                .filter(c -> c.matches("[0-9a-fA-F]{7,64}"));
        Optional<String> branch = first(environment, "CODEBUILD_WEBHOOK_HEAD_REF", "GITHUB_HEAD_REF")
                .or(() -> githubBranch(environment))
                .or(() -> codeBuildSourceBranch(environment))
                .map(b -> b.replaceFirst("^refs/heads/", ""));
        if (commit.isEmpty() || branch.isEmpty()) {
            String[] local = git.get();
            if (commit.isEmpty()) {
                commit = Optional.ofNullable(local[0]).filter(c -> c.matches("[0-9a-fA-F]{7,64}"));
            }
            if (branch.isEmpty()) {
                branch = Optional.ofNullable(local[1]).filter(b -> Text.isSet(b) && !b.equals("HEAD"));
            }
        }
        return new SourceVersion(commit.map(c -> c.toLowerCase(Locale.ROOT)), branch);
    }

    /** A branch as a tag: characters a tag cannot hold become '-' ({@code feature/login} gives {@code feature-login}). */
    public Optional<String> branchTag() {
        return branch.map(ImageReference::tagFrom);
    }

    public Optional<String> shortCommit() {
        return commit.map(c -> c.substring(0, Math.min(12, c.length())));
    }

    private static Optional<String> githubBranch(Map<String, String> environment) {
        // GITHUB_REF_NAME is a tag's name when a tag was pushed.
        if ("tag".equals(environment.get("GITHUB_REF_TYPE"))) {
            return Optional.empty();
        }
        return first(environment, "GITHUB_REF_NAME");
    }

    /**
     * The branch in CodeBuild's {@code CODEBUILD_SOURCE_VERSION}, which a build not started by a
     * webhook has instead of {@code CODEBUILD_WEBHOOK_HEAD_REF}. It names a branch as
     * {@code refs/heads/<branch>} or as a bare name. The other forms name no branch: a commit id, a
     * pull request ({@code pr/42}), a tag ref ({@code refs/tags/…}) or other ref, a CodePipeline
     * artifact ({@code arn:…}), and an S3 source's object version (the source is {@code s3://…}). A
     * bare tag name cannot be told from a branch name: it counts as a branch, which gives the build a
     * cache of its own and leaves main's alone.
     */
    static Optional<String> codeBuildSourceBranch(Map<String, String> environment) {
        Optional<String> version = first(environment, "CODEBUILD_SOURCE_VERSION");
        if (version.isEmpty()
                || first(environment, "CODEBUILD_SOURCE_REPO_URL")
                        .filter(url -> url.startsWith("s3://"))
                        .isPresent()) {
            return Optional.empty();
        }
        String value = version.get();
        if (value.startsWith("refs/heads/")) {
            return Optional.of(value).filter(v -> v.length() > "refs/heads/".length());
        }
        boolean notABranch = value.matches("[0-9a-fA-F]{7,64}")
                || value.matches("pr/\\d+")
                || value.startsWith("refs/")
                || value.startsWith("arn:")
                || !value.matches("[A-Za-z0-9._/-]+");
        return notABranch ? Optional.empty() : Optional.of(value);
    }

    private static Optional<String> first(Map<String, String> environment, String... names) {
        for (String name : names) {
            String value = Text.blankToNull(environment.get(name));
            if (value != null) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }
}
