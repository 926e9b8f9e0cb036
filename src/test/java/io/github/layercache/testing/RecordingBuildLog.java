package io.github.layercache.testing;

import io.github.layercache.log.BuildLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A thread-safe {@link BuildLog} that keeps every line, for assertions on what the core reported. */
public final class RecordingBuildLog implements BuildLog {

    private final List<String> lines = new ArrayList<>();
    private final CountDownLatch firstWarning = new CountDownLatch(1);

    /** Every line in order, as {@code LEVEL message}. */
    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    public List<String> debugs() {
        return messages("DEBUG");
    }

    public List<String> infos() {
        return messages("INFO");
    }

    public List<String> warnings() {
        return messages("WARN");
    }

    /** Waits until the first warning has been logged; false when the time ran out first. */
    public boolean awaitWarning(Duration timeout) throws InterruptedException {
        return firstWarning.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized List<String> messages(String level) {
        String prefix = level + " ";
        return lines.stream()
                .filter(line -> line.startsWith(prefix))
                .map(line -> line.substring(prefix.length()))
                .toList();
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
    public void warn(String message) {
        synchronized (this) {
            lines.add("WARN " + message);
        }
        firstWarning.countDown();
    }
}
