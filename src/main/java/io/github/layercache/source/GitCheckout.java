package io.github.layercache.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The commit and branch of a git checkout, for builds that CI does not tell. Read from the files
 * under {@code .git} (HEAD, the ref, packed-refs, worktree links) rather than by running git, which
 * would cost every module a process or two.
 */
public final class GitCheckout {

    private final Path directory;

    public GitCheckout(Path directory) {
        this.directory = directory;
    }

    /** {@code [commit, branch]}; either is null when there is no checkout, or no branch (a detached HEAD). */
    public String[] commitAndBranch() {
        try {
            Optional<Path> gitDirectory = gitDirectory();
            if (gitDirectory.isEmpty()) {
                return new String[] {null, null};
            }
            String head = read(gitDirectory.get().resolve("HEAD"));
            if (head == null) {
                return new String[] {null, null};
            }
            if (!head.startsWith("ref: ")) {
                return new String[] {head, null};
            }
            String ref = head.substring("ref: ".length()).strip();
            String branch = ref.startsWith("refs/heads/") ? ref.substring("refs/heads/".length()) : null;
            return new String[] {resolve(gitDirectory.get(), ref), branch};
        } catch (IOException e) {
            return new String[] {null, null};
        }
    }

    /** The {@code .git} directory of the checkout holding {@link #directory}, following a worktree's {@code .git} file. */
    private Optional<Path> gitDirectory() throws IOException {
        for (Path dir = directory.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            Path git = dir.resolve(".git");
            if (Files.isDirectory(git)) {
                return Optional.of(git);
            }
            if (Files.isRegularFile(git)) {
                String link = read(git);
                if (link != null && link.startsWith("gitdir: ")) {
                    return Optional.of(
                            dir.resolve(link.substring("gitdir: ".length()).strip())
                                    .normalize());
                }
            }
        }
        return Optional.empty();
    }

    /** A ref's commit: its loose file, else its line in packed-refs (in the worktree's or the common directory). */
    private static String resolve(Path gitDirectory, String ref) throws IOException {
        Path common = gitDirectory;
        String commonDir = read(gitDirectory.resolve("commondir"));
        if (commonDir != null) {
            common = gitDirectory.resolve(commonDir).normalize();
        }
        for (Path base : new Path[] {gitDirectory, common}) {
            String loose = read(base.resolve(ref));
            if (loose != null) {
                return loose;
            }
        }
        Path packed = common.resolve("packed-refs");
        if (Files.isRegularFile(packed)) {
            for (String line : Files.readAllLines(packed, StandardCharsets.UTF_8)) {
                if (line.endsWith(" " + ref) && !line.startsWith("#")) {
                    return line.substring(0, line.indexOf(' '));
                }
            }
        }
        return null; // a branch without commits yet
    }

    private static String read(Path file) throws IOException {
        return Files.isRegularFile(file)
                ? Files.readString(file, StandardCharsets.UTF_8).strip()
                : null;
    }
}
