package io.github.layercache.auth;

import io.github.layercache.log.BuildLog;
import java.util.ArrayList;
import java.util.List;

/** A {@link BuildLog} that keeps every line as {@code LEVEL message}, debug included. */
final class RecordingBuildLog implements BuildLog {

    private final List<String> lines = new ArrayList<>();

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public synchronized void debug(String message) {
        lines.add("DEBUG " + message);
    }

    @Override
    public synchronized void info(String message) {
        lines.add("INFO " + message);
    }

    @Override
    public synchronized void warn(String message) {
        lines.add("WARN " + message);
    }
}
