package io.github.layercache.process;

import java.util.List;
import java.util.Locale;

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

    /** The last line that says what went wrong, for one-line messages. */
    public String lastErrorLine() {
        String lastLine = null;
        for (int i = lines.size() - 1; i >= 0; i--) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) {
                continue;
            }
            if (lastLine == null) {
                lastLine = line;
            }
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.contains("error")
                    || lower.contains("denied")
                    || lower.contains("failed")
                    || lower.contains("not a docker command")) {
                return line.replaceFirst("^ERROR:\\s*", "");
            }
        }
        return lastLine == null ? "(no output)" : lastLine;
    }
}
