package io.github.layercache.buildx;

import io.github.layercache.cache.CacheProblem;
import io.github.layercache.inputs.StepRun;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads {@code --progress=plain} output as it streams and keeps what the plugin reports: which
 * Dockerfile steps ran or came from the cache, what happened to the cache imports and exports,
 * and the last lines of a step that failed.
 *
 * <p>Thread-safe, so that the stdout and stderr readers of one process can both feed it.
 */
public final class ProgressTracker {

    private static final Pattern VERTEX = Pattern.compile("^#(\\d{1,9}) (.*)$");
    /** {@code [2/3] RUN …}, {@code [build  2/10] …} (padded), {@code [linux/arm64 build 2/3] …} (multi-platform). */
    private static final Pattern STEP = Pattern.compile("^\\[(?:([^\\]]*?)\\s+)?(\\d+)/(\\d+)\\] (.*)$");

    private static final Pattern IMPORT = Pattern.compile("^importing cache manifest from (\\S+)");
    private static final Pattern EXPORT = Pattern.compile("^exporting cache to (\\S+)");
    private static final Pattern LOG_LINE = Pattern.compile("^\\d+(?:\\.\\d+)? (.*)$");
    /** {@code sha256:… 1.04MB / 1.04MB 0.0s done}: a layer a step downloads, here always from a cache. */
    private static final Pattern LAYER_DOWNLOAD =
            Pattern.compile("^(sha256:[0-9a-f]{64}) (?:[0-9.]+[kMG]?B / )?([0-9.]+)([kMG]?B)(?: [0-9.]+s)? done$");

    /** {@code extracting sha256:… 0.1s done}: a downloaded layer unpacked for a step. */
    private static final Pattern EXTRACTING = Pattern.compile("^extracting sha256:[0-9a-f]{64}\\b.*$");

    private static final int TAIL_LINES = 15;

    private final Map<Integer, Vertex> vertices = new LinkedHashMap<>();
    private final List<CacheProblem> problems = new ArrayList<>();
    /** Each layer a step downloaded, once, with its size. */
    private final Map<String, Long> downloads = new LinkedHashMap<>();

    private String solveError;
    private Runnable whenAStepRuns = () -> {};
    private boolean aStepRan;

    /**
     * Calls {@code action} once, as soon as a Dockerfile step shows that it runs (its output, or done
     * without coming from a cache): work that only a build with misses needs can start then, beside it.
     */
    public synchronized void whenAStepRuns(Runnable action) {
        whenAStepRuns = action;
    }

    /** One line of buildx output. */
    public synchronized void accept(String line) {
        Matcher vertexLine = VERTEX.matcher(line);
        if (!vertexLine.matches()) {
            if (line.startsWith("ERROR: ")) {
                solveError = line.substring("ERROR: ".length());
            }
            return;
        }
        int id = Integer.parseInt(vertexLine.group(1));
        String rest = vertexLine.group(2);
        Vertex vertex = vertices.get(id);
        if (vertex == null) {
            vertices.put(id, Vertex.named(rest));
            return;
        }
        if (rest.equals("CACHED")) {
            vertex.cached = true;
        } else if (rest.startsWith("ERROR: ")) {
            vertex.error = rest.substring("ERROR: ".length());
            recordCacheProblem(vertex);
        } else if (rest.startsWith("DONE")) {
            if (!vertex.cached && !vertex.pulled) {
                stepRuns(vertex);
            }
            return;
        } else if (!rest.equals(vertex.name) && !rest.equals("...")) {
            // BuildKit re-prints a step's name and "..." when its output interleaves with another step's.
            Matcher log = LOG_LINE.matcher(rest);
            if (log.matches()) {
                vertex.remember(log.group(1));
                vertex.printed = true;
                stepRuns(vertex);
                return;
            }
            Matcher download = LAYER_DOWNLOAD.matcher(rest);
            if ((download.matches() || EXTRACTING.matcher(rest).matches()) && vertex.step && !vertex.from) {
                vertex.pulled = true;
            }
            if (download.matches() && vertex.step && !vertex.from) {
                long size = bytes(download.group(2), download.group(3));
                if (downloads.putIfAbsent(download.group(1), size) == null) {
                    vertex.downloaded += size;
                }
            }
            vertex.remember(rest);
        }
    }

    private void stepRuns(Vertex vertex) {
        if (vertex.step && !vertex.from && !aStepRan) {
            aStepRan = true;
            whenAStepRuns.run();
        }
    }

    private void recordCacheProblem(Vertex vertex) {
        if (vertex.importRef != null) {
            problems.add(new CacheProblem(CacheProblem.Direction.IMPORT, vertex.importRef, vertex.error));
        } else if (vertex.exportTarget != null) {
            problems.add(new CacheProblem(CacheProblem.Direction.EXPORT, vertex.exportTarget, vertex.error));
        }
    }

    /** Dockerfile steps other than {@code FROM}, the ones that do work. */
    public synchronized int totalSteps() {
        return (int) steps().count();
    }

    /**
     * Steps that BuildKit marked {@code CACHED} (from its local cache or an imported one). A cache
     * hit whose layer BuildKit downloads instead is not marked so, and cannot be told from a step that
     * ran without output (a {@code COPY} downloads its parent layers too): it is not counted.
     */
    public synchronized int cachedSteps() {
        return (int) steps().filter(v -> v.cached).count();
    }

    /**
     * The bytes of layers the steps downloaded: cached layers and their parents, which BuildKit
     * fetches from the registry cache when the image must be loaded or a step builds on them.
     */
    public synchronized long pulledBytes() {
        return downloads.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * The {@code COPY} or {@code ADD} step without {@code --link} that downloaded the most, when it
     * downloaded at least {@code threshold} bytes: without {@code --link} such a step needs the
     * content of every layer below it, so BuildKit fetches them from the cache even to push.
     */
    public synchronized Optional<Map.Entry<String, Long>> heaviestCopyWithoutLink(long threshold) {
        return steps().filter(v -> v.downloaded >= threshold)
                .filter(v -> v.name.matches(".*\\] (COPY|ADD) .*") && !v.name.contains("--link"))
                .max(Comparator.comparingLong(v -> v.downloaded))
                .map(v -> Map.entry(v.name, v.downloaded));
    }

    /** BuildKit prints sizes in decimal units: {@code 195B}, {@code 12.3kB}, {@code 1.04MB}, {@code 1.2GB}. */
    private static long bytes(String number, String unit) {
        double value = Double.parseDouble(number);
        double factor =
                switch (unit) {
                    case "kB" -> 1e3;
                    case "MB" -> 1e6;
                    case "GB" -> 1e9;
                    default -> 1;
                };
        return Math.round(value * factor);
    }

    /** The names of the steps that came from the cache, e.g. {@code [build 2/3] RUN make}. */
    public synchronized List<String> cachedStepNames() {
        return steps().filter(v -> v.cached).map(v -> v.name).toList();
    }

    public synchronized List<CacheProblem> cacheProblems() {
        return List.copyOf(problems);
    }

    /** Whether a Dockerfile step (rather than, say, a cache export) failed. */
    public synchronized boolean hasFailedStep() {
        return vertices.values().stream().anyMatch(v -> v.step && v.error != null);
    }

    /** The step that failed and its last output lines, else BuildKit's final error, if any. */
    public synchronized Optional<String> failureReport() {
        for (Vertex vertex : vertices.values()) {
            if (vertex.error != null && vertex.step) {
                StringBuilder report = new StringBuilder("Step ")
                        .append(vertex.name)
                        .append(" failed: ")
                        .append(vertex.error);
                if (!vertex.tail.isEmpty()) {
                    report.append("\nLast output of the step:");
                    vertex.tail.forEach(l -> report.append("\n  ").append(l));
                }
                return Optional.of(report.toString());
            }
        }
        return Optional.ofNullable(solveError);
    }

    private Stream<Vertex> steps() {
        return vertices.values().stream().filter(v -> v.step && !v.from);
    }

    /**
     * Every Dockerfile step BuildKit showed, {@code FROM} included, once per stage and number (with
     * several platforms a step counts as run when it ran for any), in the order they first appeared.
     */
    public synchronized List<StepRun> stepRuns() {
        Map<String, StepRun> runs = new LinkedHashMap<>();
        for (Vertex vertex : vertices.values()) {
            if (!vertex.step) {
                continue;
            }
            StepRun run = new StepRun(
                    vertex.label,
                    vertex.index,
                    vertex.name,
                    vertex.text,
                    vertex.from,
                    vertex.cached,
                    vertex.pulled && !vertex.printed);
            runs.merge(vertex.label + " " + vertex.index, run, (a, b) -> a.cached() ? b : a);
        }
        return List.copyOf(runs.values());
    }

    /** {@code deps} of {@code linux/arm64 deps}; empty for a bare platform or nothing. */
    private static String stageLabel(String group) {
        if (group == null) {
            return "";
        }
        String[] words = group.trim().split("\\s+");
        String last = words[words.length - 1];
        return last.contains("/") ? "" : last;
    }

    private static final class Vertex {
        private final String name;
        private final String label;
        private final int index;
        private final String text;
        private final boolean step;
        private final boolean from;
        private final String importRef;
        private final String exportTarget;
        private final Deque<String> tail = new ArrayDeque<>();
        private boolean cached;
        private long downloaded;
        /** Whether it downloaded or extracted a layer. */
        private boolean pulled;
        /** Whether it printed output of its own (a {@code RUN}'s lines). */
        private boolean printed;

        private String error;

        private Vertex(String name, boolean step, boolean from, String importRef, String exportTarget) {
            this.name = name;
            Matcher numbered = STEP.matcher(name);
            if (step && numbered.matches()) {
                this.label = stageLabel(numbered.group(1));
                this.index = Integer.parseInt(numbered.group(2));
                this.text = numbered.group(4);
            } else {
                this.label = "";
                this.index = 0;
                this.text = name;
            }
            this.step = step;
            this.from = from;
            this.importRef = importRef;
            this.exportTarget = exportTarget;
        }

        static Vertex named(String name) {
            Matcher step = STEP.matcher(name);
            Matcher imported = IMPORT.matcher(name);
            Matcher exported = EXPORT.matcher(name);
            boolean isStep = step.matches();
            return new Vertex(
                    name,
                    isStep,
                    isStep && step.group(4).startsWith("FROM "),
                    imported.find() ? imported.group(1) : null,
                    exported.find() ? exported.group(1) : null);
        }

        void remember(String line) {
            if (tail.size() == TAIL_LINES) {
                tail.removeFirst();
            }
            tail.addLast(line);
        }
    }
}
