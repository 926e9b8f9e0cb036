package io.github.layercache.maven;

import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.logging.Log;

/** A Maven {@link Log} that keeps every line as {@code LEVEL message}, for assertions. */
final class RecordingLog implements Log {

    private final boolean debugEnabled;
    private final List<String> lines = new ArrayList<>();

    RecordingLog() {
        this(true);
    }

    RecordingLog(boolean debugEnabled) {
        this.debugEnabled = debugEnabled;
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    /** Only the messages, without their level. */
    synchronized List<String> messages() {
        return lines.stream().map(line -> line.substring(line.indexOf(' ') + 1)).toList();
    }

    private synchronized void add(String level, CharSequence message, Throwable error) {
        StringBuilder line = new StringBuilder(level).append(' ');
        if (message != null) {
            line.append(message);
        }
        if (error != null) {
            line.append(message == null ? "" : " ").append(error);
        }
        lines.add(line.toString());
    }

    @Override
    public boolean isDebugEnabled() {
        return debugEnabled;
    }

    @Override
    public void debug(CharSequence content) {
        add("DEBUG", content, null);
    }

    @Override
    public void debug(CharSequence content, Throwable error) {
        add("DEBUG", content, error);
    }

    @Override
    public void debug(Throwable error) {
        add("DEBUG", null, error);
    }

    @Override
    public boolean isInfoEnabled() {
        return true;
    }

    @Override
    public void info(CharSequence content) {
        add("INFO", content, null);
    }

    @Override
    public void info(CharSequence content, Throwable error) {
        add("INFO", content, error);
    }

    @Override
    public void info(Throwable error) {
        add("INFO", null, error);
    }

    @Override
    public boolean isWarnEnabled() {
        return true;
    }

    @Override
    public void warn(CharSequence content) {
        add("WARN", content, null);
    }

    @Override
    public void warn(CharSequence content, Throwable error) {
        add("WARN", content, error);
    }

    @Override
    public void warn(Throwable error) {
        add("WARN", null, error);
    }

    @Override
    public boolean isErrorEnabled() {
        return true;
    }

    @Override
    public void error(CharSequence content) {
        add("ERROR", content, null);
    }

    @Override
    public void error(CharSequence content, Throwable error) {
        add("ERROR", content, error);
    }

    @Override
    public void error(Throwable error) {
        add("ERROR", null, error);
    }
}
