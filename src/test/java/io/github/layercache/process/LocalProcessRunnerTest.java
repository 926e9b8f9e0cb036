package io.github.layercache.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LocalProcessRunnerTest {

    private static final Duration GENEROUS = Duration.ofSeconds(30);

    private final LocalProcessRunner runner = new LocalProcessRunner();
    private final List<Line> lines = Collections.synchronizedList(new ArrayList<>());

    record Line(OutputLine.Stream stream, String text) {}

    @Test
    void reportsTheExitCodeAndEachLineWithItsStream() throws Exception {
        ProcessResult result = runner.run(sh("echo out1; echo err1 >&2; echo out2; exit 7"), this::collect);

        assertThat(result.exitCode()).isEqualTo(7);
        assertThat(result.succeeded()).isFalse();
        assertThat(result.duration()).isPositive();
        assertThat(lines)
                .containsExactlyInAnyOrder(
                        new Line(OutputLine.Stream.STDOUT, "out1"),
                        new Line(OutputLine.Stream.STDERR, "err1"),
                        new Line(OutputLine.Stream.STDOUT, "out2"));
        assertThat(lines)
                .filteredOn(l -> l.stream() == OutputLine.Stream.STDOUT)
                .extracting(Line::text)
                .containsExactly("out1", "out2");
    }

    @Test
    void zeroExitSucceeds() throws Exception {
        assertThat(runner.run(sh("true"), this::collect).succeeded()).isTrue();
    }

    @Test
    void deliversEveryLineOfLargeOutputBeforeReturning() throws Exception {
        runner.run(process(List.of("seq", "1", "100000"), GENEROUS), this::collect);

        List<String> delivered = texts();
        assertThat(delivered).hasSize(100_000);
        assertThat(delivered.get(0)).isEqualTo("1");
        assertThat(delivered.get(99_999)).isEqualTo("100000");
        for (int i = 0; i < delivered.size(); i++) {
            if (!delivered.get(i).equals(Integer.toString(i + 1))) {
                throw new AssertionError("line " + (i + 1) + " is '" + delivered.get(i) + "'");
            }
        }
    }

    @Test
    void waitsForASlowConsumerToTakeTheLastLine() throws Exception {
        runner.run(sh("echo a; echo b >&2; echo c"), (stream, line) -> {
            sleep(300);
            collect(stream, line);
        });

        assertThat(texts()).containsExactlyInAnyOrder("a", "b", "c");
    }

    @Test
    void masksSecretsInOutput() throws Exception {
        ProcessSpec spec = process(
                List.of("sh", "-c", "echo \"token=hunter2 again hunter2\"; echo \"hunter2\" >&2"),
                null,
                Map.of(),
                GENEROUS,
                Set.of("hunter2"));

        runner.run(spec, this::collect);

        assertThat(texts()).containsExactlyInAnyOrder("token=**** again ****", "****");
    }

    @Test
    void masksTheLongestSecretFirst() throws Exception {
        ProcessSpec spec = process(
                List.of("sh", "-c", "echo \"pw=abc123secret short=abc123\""),
                null,
                Map.of(),
                GENEROUS,
                Set.of("abc123", "abc123secret"));

        runner.run(spec, this::collect);

        assertThat(texts()).containsExactly("pw=**** short=****");
    }

    @Test
    void passesEnvironmentVariablesToTheChild() throws Exception {
        ProcessSpec spec = process(
                List.of("sh", "-c", "echo \"[$LAYERCACHE_TEST_VAR]\"; echo \"[${HOME:+home-inherited}]\""),
                null,
                Map.of("LAYERCACHE_TEST_VAR", "value with spaces"),
                GENEROUS,
                Set.of());

        runner.run(spec, this::collect);

        assertThat(texts()).containsExactly("[value with spaces]", "[home-inherited]");
    }

    @Test
    void startsTheChildInTheWorkingDirectory(@TempDir Path dir) throws Exception {
        runner.run(process(List.of("sh", "-c", "pwd -P"), dir, Map.of(), GENEROUS, Set.of()), this::collect);

        assertThat(texts()).containsExactly(dir.toRealPath().toString());
    }

    @Test
    void missingProgramIsAnIOException() {
        IOException e = catchThrowableOfType(
                IOException.class,
                () -> runner.run(
                        process(List.of("layercache-no-such-program-" + System.nanoTime()), GENEROUS), this::collect));

        assertThat(e).isNotNull().isNotInstanceOf(ProcessTimeoutException.class);
    }

    @Test
    void timeoutKillsTheChildAndItsDescendants() throws Exception {
        try (MarkedProcesses marked = new MarkedProcesses()) {
            ProcessSpec spec = process(
                    List.of("sh", "-c", "sleep " + marked.marker + " & sleep " + marked.marker + "; wait"),
                    Duration.ofSeconds(1));
            marked.watch();
            long started = System.nanoTime();

            ProcessTimeoutException e =
                    catchThrowableOfType(ProcessTimeoutException.class, () -> runner.run(spec, this::collect));

            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(e).isNotNull();
            assertThat(e.timeout()).isEqualTo(Duration.ofSeconds(1));
            assertThat(took).isLessThan(Duration.ofSeconds(15));
            marked.stopWatching();
            assertThat(marked.seen()).as("sh and both sleeps were running").hasSizeGreaterThanOrEqualTo(3);
            assertThat(marked.seen()).noneMatch(ProcessHandle::isAlive);
            assertThat(marked.alive()).isEmpty();
        }
    }

    @Test
    void interruptKillsTheChildAndItsDescendants() throws Exception {
        try (MarkedProcesses marked = new MarkedProcesses()) {
            InterruptedCall call = interruptWhileRunning(marked);

            assertThat(call.thrown()).isInstanceOf(InterruptedException.class);
            marked.stopWatching();
            assertThat(marked.seen()).noneMatch(ProcessHandle::isAlive);
            assertThat(marked.alive()).isEmpty();
        }
    }

    @Test
    void interruptLeavesTheInterruptFlagSet() throws Exception {
        try (MarkedProcesses marked = new MarkedProcesses()) {
            InterruptedCall call = interruptWhileRunning(marked);

            assertThat(call.thrown()).isInstanceOf(InterruptedException.class);
            assertThat(call.flagAfterwards()).as("interrupt flag restored").isTrue();
        }
    }

    record InterruptedCall(Throwable thrown, boolean flagAfterwards) {}

    private InterruptedCall interruptWhileRunning(MarkedProcesses marked) throws InterruptedException {
        ProcessSpec spec = process(
                List.of("sh", "-c", "sleep " + marked.marker + " & sleep " + marked.marker + "; wait"),
                Duration.ofSeconds(50));
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean flagAfterwards = new AtomicBoolean();
        Thread caller = new Thread(() -> {
            try {
                runner.run(spec, this::collect);
            } catch (Throwable t) {
                thrown.set(t);
                flagAfterwards.set(Thread.currentThread().isInterrupted());
            }
        });
        marked.watch();
        caller.start();
        marked.awaitSeen(3, Duration.ofSeconds(10));

        caller.interrupt();
        caller.join(TimeUnit.SECONDS.toMillis(20));

        assertThat(caller.isAlive()).as("run() returned after the interrupt").isFalse();
        return new InterruptedCall(thrown.get(), flagAfterwards.get());
    }

    private void collect(OutputLine.Stream stream, String line) {
        lines.add(new Line(stream, line));
    }

    private List<String> texts() {
        synchronized (lines) {
            return lines.stream().map(Line::text).toList();
        }
    }

    private static ProcessSpec sh(String script) {
        return process(List.of("sh", "-c", script), GENEROUS);
    }

    /** A spec with no extra environment, no redactions and the given timeout. */
    private static ProcessSpec process(List<String> command, Duration timeout) {
        return process(command, null, Map.of(), timeout, Set.of());
    }

    /** A spec shown as it runs, but for the redactions. */
    private static ProcessSpec process(
            List<String> command,
            Path workingDirectory,
            Map<String, String> environment,
            Duration timeout,
            Set<String> redactions) {
        return new ProcessSpec(command, workingDirectory, environment, timeout, redactions, command);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Finds the processes of one test by a unique argument, e.g. {@code sleep 30.481516}. */
    private static final class MarkedProcesses implements AutoCloseable {
        final String marker = "30." + ThreadLocalRandom.current().nextInt(100_000, 1_000_000);
        private final Set<ProcessHandle> seen = ConcurrentHashMap.newKeySet();
        private volatile boolean watching;
        private Thread watcher;

        void watch() {
            watching = true;
            watcher = new Thread(() -> {
                while (watching) {
                    seen.addAll(alive());
                    sleep(20);
                }
            });
            watcher.setDaemon(true);
            watcher.start();
        }

        void awaitSeen(int count, Duration limit) {
            long deadline = System.nanoTime() + limit.toNanos();
            while (seen.size() < count && System.nanoTime() < deadline) {
                sleep(20);
            }
            assertThat(seen).as("processes marked %s", marker).hasSizeGreaterThanOrEqualTo(count);
        }

        void stopWatching() throws InterruptedException {
            watching = false;
            if (watcher != null) {
                watcher.join();
            }
        }

        Set<ProcessHandle> seen() {
            return seen;
        }

        List<ProcessHandle> alive() {
            return ProcessHandle.allProcesses()
                    .filter(h -> h.pid() != ProcessHandle.current().pid())
                    .filter(h ->
                            h.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                    .filter(ProcessHandle::isAlive)
                    .toList();
        }

        @Override
        public void close() throws InterruptedException {
            stopWatching();
            seen.forEach(ProcessHandle::destroyForcibly);
            alive().forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void aConsumerThatFailsOnALineDoesNotStopTheReading() throws Exception {
        java.util.concurrent.atomic.AtomicInteger seen = new java.util.concurrent.atomic.AtomicInteger();
        ProcessResult result = new LocalProcessRunner()
                .run(process(List.of("sh", "-c", "seq 1 50000"), java.time.Duration.ofSeconds(30)), (stream, line) -> {
                    seen.incrementAndGet();
                    if (line.equals("7")) {
                        throw new IllegalStateException("a consumer bug");
                    }
                });

        assertThat(result.exitCode()).isZero();
        assertThat(seen).hasValue(50000);
    }
}
