package io.github.layercache.process;

/** Receives a child's output, one line at a time, already redacted. */
@FunctionalInterface
public interface OutputLine {

    enum Stream {
        STDOUT,
        STDERR
    }

    void accept(Stream stream, String line);
}
