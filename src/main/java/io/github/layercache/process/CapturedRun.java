package io.github.layercache.process;

import java.util.List;

/** How a short command ended, with every line it printed, for callers that read its answer. */
public record CapturedRun(int exitCode, List<String> lines) {

    /** The exit code of a command that was stopped at its timeout. */
    public static final int TIMED_OUT = -1;

    public CapturedRun {
        lines = List.copyOf(lines);
    }

    public boolean succeeded() {
        return exitCode == 0;
    }

    public String output() {
        return String.join("\n", lines);
    }
}
