package io.github.layercache.process;

import java.time.Duration;

/** How a child process ended. */
public record ProcessResult(int exitCode, Duration duration) {

    public boolean succeeded() {
        return exitCode == 0;
    }
}
