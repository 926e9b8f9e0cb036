package io.github.layercache.process;

import io.github.layercache.log.BuildLog;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The commit and branch of a git checkout, for builds that CI does not tell. */
public final class GitCheckout {

    private final ProcessRunner runner;
    private final Path directory;

    public GitCheckout(ProcessRunner runner, Path directory) {
        this.runner = runner;
        this.directory = directory;
    }

    /** {@code [commit, branch]}; either is null when git, the checkout or a branch is missing. */
    public String[] commitAndBranch() {
        return new String[] {ask("rev-parse", "HEAD"), ask("rev-parse", "--abbrev-ref", "HEAD")};
    }

    private String ask(String... arguments) {
        List<String> command = new ArrayList<>(List.of("git", "-C", directory.toString()));
        command.addAll(List.of(arguments));
        try {
            CapturedRun run = CapturedRun.of(
                    runner, command, Duration.ofSeconds(30), Map.of(), Set.of(), (log, line) -> {}, BuildLog.silent());
            return run.succeeded() && !run.lines().isEmpty()
                    ? run.lines().get(0).strip()
                    : null;
        } catch (IOException e) {
            return null; // no git on this machine: the source version is simply unknown
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
