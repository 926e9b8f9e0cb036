package io.github.layercache.process;

import java.io.IOException;

/** Runs child processes; the seam that lets command lines be tested without running them. */
public interface ProcessRunner {

    /**
     * Runs the process to its end, feeding every output line to {@code output}.
     *
     * @throws ProcessTimeoutException when the timeout ran out (the child and its descendants are killed)
     * @throws IOException when the program cannot be started
     * @throws InterruptedException when the calling thread is interrupted (the child is killed)
     */
    ProcessResult run(ProcessSpec spec, OutputLine output) throws IOException, InterruptedException;
}
