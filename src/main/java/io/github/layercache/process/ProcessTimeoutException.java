package io.github.layercache.process;

import java.io.IOException;
import java.time.Duration;

/** A child process ran past its timeout and was killed with its descendants. */
public class ProcessTimeoutException extends IOException {

    private final Duration timeout;

    public ProcessTimeoutException(String command, Duration timeout) {
        super("'" + command + "' did not finish within " + timeout.toSeconds() + " s and was stopped");
        this.timeout = timeout;
    }

    public Duration timeout() {
        return timeout;
    }
}
