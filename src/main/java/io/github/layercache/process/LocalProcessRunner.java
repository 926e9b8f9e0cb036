package io.github.layercache.process;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a real child process. Both output streams are read by named threads that have finished
 * before {@link #run} returns; on timeout, interrupt or JVM shutdown the child and all its
 * descendants are stopped, so no {@code docker buildx} is ever left behind.
 */
public final class LocalProcessRunner implements ProcessRunner {

    private static final Duration GRACE = Duration.ofSeconds(5);
    private static final Duration READER_DRAIN = Duration.ofSeconds(5);

    @Override
    public ProcessResult run(ProcessSpec spec, OutputLine output) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(spec.command());
        if (spec.workingDirectory() != null) {
            builder.directory(spec.workingDirectory().toFile());
        }
        builder.environment().putAll(spec.environment());
        builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));

        long started = System.nanoTime();
        Process process = builder.start();
        Thread killer = new Thread(() -> stopTree(process), "layercache-shutdown-" + process.pid());
        try {
            Runtime.getRuntime().addShutdownHook(killer);
        } catch (IllegalStateException shuttingDown) {
            // Ctrl-C arrived between two builds of a parallel reactor: this child must not outlive the JVM.
            stopTree(process);
            throw new InterruptedException("the JVM is shutting down; '" + spec.displayCommand() + "' was stopped");
        }
        Redactor redactor = new Redactor(spec.redactions());
        Thread stdout = startReader(process.getInputStream(), OutputLine.Stream.STDOUT, process, redactor, output);
        Thread stderr = startReader(process.getErrorStream(), OutputLine.Stream.STDERR, process, redactor, output);
        boolean settled = false;
        try {
            if (!process.waitFor(spec.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                stopTree(process);
                settled = true;
                drain(process, stdout, stderr);
                throw new ProcessTimeoutException(spec.displayCommand(), spec.timeout());
            }
            settled = true;
            drain(process, stdout, stderr);
            return new ProcessResult(process.exitValue(), Duration.ofNanos(System.nanoTime() - started));
        } catch (InterruptedException e) {
            stopTree(process);
            settled = true;
            drainUninterruptibly(process, stdout, stderr);
            Thread.currentThread().interrupt();
            throw e;
        } finally {
            if (!settled) {
                stopTree(process);
            }
            removeHook(killer);
        }
    }

    private static Thread startReader(
            InputStream stream, OutputLine.Stream kind, Process process, Redactor redactor, OutputLine output) {
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader lines =
                            new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = lines.readLine()) != null) {
                            deliver(output, kind, redactor.redact(line));
                        }
                    } catch (IOException | UncheckedIOException e) {
                        // The stream was closed under us after the child was stopped: nothing more to read.
                    }
                },
                "layercache-" + process.pid() + "-" + kind.name().toLowerCase(Locale.ROOT));
        reader.setDaemon(true);
        reader.start();
        return reader;
    }

    /** A consumer that fails on one line must not stop the reading: a full pipe would block the child. */
    private static void deliver(OutputLine output, OutputLine.Stream kind, String line) {
        try {
            output.accept(kind, line);
        } catch (RuntimeException e) {
            // the line is lost for this consumer; the reader goes on draining
        }
    }

    /** Waits for both readers; a grandchild that keeps a pipe open must not hang the build. */
    private static void drain(Process process, Thread... readers) throws InterruptedException {
        for (Thread reader : readers) {
            reader.join(READER_DRAIN.toMillis());
        }
        if (anyAlive(readers)) {
            closeQuietly(process.getInputStream());
            closeQuietly(process.getErrorStream());
            for (Thread reader : readers) {
                reader.join(READER_DRAIN.toMillis());
            }
        }
    }

    private static void drainUninterruptibly(Process process, Thread... readers) {
        boolean interrupted = false;
        while (true) {
            try {
                drain(process, readers);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Asks the child and every descendant to stop, then kills what is left after a grace period.
     * Descendants are listed first: once the parent is gone they are re-parented and cannot be found.
     */
    static void stopTree(Process process) {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(0, process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + GRACE.toNanos();
        boolean interrupted = false;
        for (ProcessHandle handle : tree) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || interrupted) {
                break;
            }
            try {
                handle.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException | TimeoutException e) {
                // still running: killed below
            }
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean anyAlive(Thread... threads) {
        for (Thread thread : threads) {
            if (thread.isAlive()) {
                return true;
            }
        }
        return false;
    }

    private static void closeQuietly(InputStream stream) {
        try {
            stream.close();
        } catch (IOException ignored) {
            // closing only to unblock a reader
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting and the hook is already running
        }
    }
}
