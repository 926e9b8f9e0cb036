package io.github.layercache.process;

import io.github.layercache.log.BuildLog;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/** A short command whose output is both logged and kept, for callers that read what it printed. */
public record CapturedRun(int exitCode, List<String> lines) {

    public CapturedRun {
        lines = List.copyOf(lines);
    }

    /**
     * Runs {@code command}, sending each line to {@code echo} (e.g. the debug log) and keeping it.
     *
     * @param environment extra variables for the child, e.g. {@code DOCKER_CONFIG}
     * @param redactions secrets masked in the kept and echoed lines
     */
    public static CapturedRun of(
            ProcessRunner runner,
            List<String> command,
            Duration timeout,
            Map<String, String> environment,
            Set<String> redactions,
            BiConsumer<BuildLog, String> echo,
            BuildLog log)
            throws IOException, InterruptedException {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        ProcessSpec spec = new ProcessSpec(command, null, environment, timeout, redactions);
        try {
            ProcessResult result = runner.run(spec, (stream, line) -> {
                lines.add(line);
                echo.accept(log, line);
            });
            return new CapturedRun(result.exitCode(), lines);
        } catch (ProcessTimeoutException e) {
            // A command that hangs failed like any other: callers handle it as its failure, with this reason.
            lines.add("ERROR: " + e.getMessage());
            return new CapturedRun(TIMED_OUT, lines);
        }
    }

    /** The exit code of a command that was stopped at its timeout. */
    public static final int TIMED_OUT = -1;

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
