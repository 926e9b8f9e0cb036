package io.github.layercache.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitCheckoutTest {

    @TempDir
    Path directory;

    private void git(String... arguments) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("git", "-C", directory.toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        assertThat(process.waitFor()).as(String.join(" ", command)).isZero();
    }

    @Test
    void readsCommitAndBranchOfARealCheckout() throws Exception {
        git("init", "-q", "-b", "feature/x");
        Files.writeString(directory.resolve("a.txt"), "a");
        git("add", "a.txt");
        git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "first");

        String[] answer = new GitCheckout(directory).commitAndBranch();

        assertThat(answer[0]).matches("[0-9a-f]{40}");
        assertThat(answer[1]).isEqualTo("feature/x");
    }

    @Test
    void packedRefsDetachedHeadsAndWorktreesAreRead() throws Exception {
        git("init", "-q", "-b", "main");
        Files.writeString(directory.resolve("a.txt"), "a");
        git("add", "a.txt");
        git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "first");
        git("pack-refs", "--all");
        String commit = new GitCheckout(directory).commitAndBranch()[0];
        assertThat(commit).matches("[0-9a-f]{40}");
        assertThat(Files.exists(directory.resolve(".git/refs/heads/main"))).isFalse();

        Path worktree = directory.resolveSibling(directory.getFileName() + "-wt");
        git("worktree", "add", "-q", "-b", "feature/y", worktree.toString());
        try {
            assertThat(new GitCheckout(worktree.resolve("sub")).commitAndBranch())
                    .containsExactly(commit, "feature/y");
        } finally {
            git("worktree", "remove", "--force", worktree.toString());
        }

        git("checkout", "-q", "--detach");
        assertThat(new GitCheckout(directory).commitAndBranch()).containsExactly(commit, null);
    }

    @Test
    void outsideACheckoutBothAreUnknown() {
        String[] answer = new GitCheckout(directory).commitAndBranch();

        assertThat(answer).containsExactly(null, null);
    }
}
