package io.github.layercache.inputs;

import io.github.layercache.cache.CacheBackend;
import io.github.layercache.log.BuildLog;
import io.github.layercache.spec.BuildSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * After a build: when steps ran instead of coming from the cache, says why (comparing this build's
 * inputs with those recorded beside the registry cache it imported), and records this build's
 * inputs beside each registry cache it exported. A build whose every step was cached costs nothing.
 */
public final class MissExplainer {

    /** Said of a first build, whose cache does not exist yet. */
    public static final String FIRST_BUILD = "no cache to compare with (first build on this branch)";

    private final InputsStore store;
    private final BuildLog log;

    public MissExplainer(InputsStore store, BuildLog log) {
        this.store = store;
        this.log = log;
    }

    /**
     * What the explanation compared with, and what it found.
     *
     * @param comparedWith the cache whose record was read, or empty when there was none
     * @param report the misses and hints
     * @param took the plugin's time for it all: hashing the inputs, reading the record, writing this build's
     */
    public record Explanation(Optional<String> comparedWith, WhyNotCached.Report report, Duration took) {}

    /**
     * What happened to the cache in the build, as far as the explanation needs it.
     *
     * @param missingImports the registry caches the build found missing (not found: a first build)
     * @param failedExports the exports BuildKit could not make, as {@link CacheBackend#describe()} names them
     */
    public record CacheEvents(Set<String> missingImports, Set<String> failedExports) {
        public CacheEvents {
            missingImports = Set.copyOf(missingImports);
            failedExports = Set.copyOf(failedExports);
        }
    }

    /** What can be known before the build ends: the Dockerfile, the context's files, the record beside the cache. */
    private record Prepared(DockerfileSteps dockerfile, InputsRecord inputs, Optional<InputsStore.Found> found) {}

    private FutureTask<Prepared> early;

    /**
     * Starts hashing the inputs, then reading the record beside the imported cache and, side by side
     * with the read, uploading this build's (all but its base images) beside the exported ones, beside
     * the build: called as soon as a step runs, so that a build with misses spends little time after
     * BuildKit on saying why, and a build whose every step is cached spends none.
     */
    public synchronized void start(BuildSpec spec, InputsRecord.Settings settings) {
        if (early != null) {
            return;
        }
        early = new FutureTask<>(() -> {
            DockerfileSteps dockerfile = dockerfile(spec);
            InputsRecord inputs = inputs(spec, dockerfile, settings);
            // Both have code to load in a JVM that has not spoken to a registry yet: side by side they take half.
            FutureTask<Void> ahead = new FutureTask<>(() -> {
                long staging = System.nanoTime();
                store.stage(registryExports(spec), inputs);
                log.debug("Sent this build's inputs ahead in " + millisSince(staging) + " ms");
                return null;
            });
            daemon(ahead, "layercache-inputs-ahead");
            try {
                return new Prepared(dockerfile, inputs, read(spec, true));
            } finally {
                ahead.get();
            }
        });
        daemon(early, "layercache-inputs");
    }

    private static void daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops what {@link #start} began, when no build will use it (the build failed). */
    public synchronized void cancel() {
        if (early != null) {
            early.cancel(true);
        }
    }

    private Prepared prepare(BuildSpec spec, InputsRecord.Settings settings, boolean read)
            throws IOException, InterruptedException {
        DockerfileSteps dockerfile = dockerfile(spec);
        return new Prepared(dockerfile, inputs(spec, dockerfile, settings), read(spec, read));
    }

    private static DockerfileSteps dockerfile(BuildSpec spec) throws IOException {
        return DockerfileSteps.parse(Files.readString(spec.dockerfile(), StandardCharsets.UTF_8));
    }

    private InputsRecord inputs(BuildSpec spec, DockerfileSteps dockerfile, InputsRecord.Settings settings)
            throws IOException {
        long started = System.nanoTime();
        InputsRecord inputs =
                InputsRecord.of(spec, dockerfile, spec.platforms(), Map.of(), settings.pluginOutput(), settings.key());
        log.debug("Hashed the inputs (" + inputs.files().size() + " files) in " + millisSince(started) + " ms");
        return inputs;
    }

    private Optional<InputsStore.Found> read(BuildSpec spec, boolean read) throws InterruptedException {
        List<CacheBackend> imports = registryImports(spec);
        if (imports.isEmpty() || !read) {
            return Optional.empty();
        }
        long started = System.nanoTime();
        Optional<InputsStore.Found> found = store.read(imports);
        log.debug("Read the record beside the cache in " + millisSince(started) + " ms");
        return found;
    }

    /** What {@link #start} prepared, waiting for it; prepared now when it was not started. */
    private synchronized Prepared prepared(BuildSpec spec, InputsRecord.Settings settings, boolean read)
            throws IOException, InterruptedException {
        if (early == null) {
            return prepare(spec, settings, read);
        }
        long waiting = System.nanoTime();
        try {
            return early.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            log.debug("Waited " + millisSince(waiting) + " ms for the work begun beside the build");
        }
    }

    private static long millisSince(long nanoTime) {
        return Duration.ofNanos(System.nanoTime() - nanoTime).toMillis();
    }

    /**
     * Explains the steps that ran and records this build's inputs.
     *
     * @param steps the Dockerfile steps as BuildKit showed them
     * @return the explanation, when steps ran and the build imports a registry cache
     */
    public Optional<Explanation> afterBuild(
            BuildSpec spec, List<StepRun> steps, CacheEvents events, InputsRecord.Settings settings)
            throws InterruptedException {
        boolean ran = steps.stream().anyMatch(s -> !s.cached() && !s.from());
        List<CacheBackend> registryImports = registryImports(spec);
        List<CacheBackend> exports = registryExports(spec).stream()
                .filter(e -> events.failedExports().stream().noneMatch(f -> f.contains(e.describe())))
                .toList();
        if (!ran || spec.noCache() || (registryImports.isEmpty() && exports.isEmpty())) {
            cancel();
            return Optional.empty();
        }
        long started = System.nanoTime();
        Prepared prepared;
        try {
            prepared = prepared(spec, settings, !firstBuild(registryImports, events));
        } catch (IOException | RuntimeException e) {
            log.warn("Could not describe the inputs of this build (" + e.getMessage()
                    + "): a step that was not cached cannot be explained, and none is recorded for the next build.");
            return Optional.empty();
        }
        InputsRecord now = prepared.inputs().withBaseImages(baseImages(steps));
        Optional<Explanation> explanation = Optional.empty();
        if (!registryImports.isEmpty()) {
            // Steps BuildKit downloaded from the cache without marking them CACHED are no misses: none may be left.
            explanation = Optional.of(
                            explain(spec, steps, events, prepared.dockerfile(), now, prepared.found(), settings))
                    .filter(e -> !e.report().misses().isEmpty());
            explanation.ifPresent(this::show);
        }
        if (explanation.isEmpty() && prepared.found().isPresent()) {
            // Every step came from the cache (some downloaded): the record read describes this build already.
            String described = prepared.found().get().cacheRef();
            exports = exports.stream()
                    .filter(e -> !e.ref().equals(Optional.of(described)))
                    .toList();
        }
        store.write(exports, now);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        log.debug("Explaining and recording the inputs took " + took.toMillis() + " ms after the build");
        return explanation.map(e -> new Explanation(e.comparedWith(), e.report(), took));
    }

    /** Whether every registry cache the build imports was missing: there is nothing to compare with. */
    private static boolean firstBuild(List<CacheBackend> registryImports, CacheEvents events) {
        return registryImports.stream()
                .allMatch(i -> i.ref().isPresent()
                        && events.missingImports().contains(i.ref().get()));
    }

    private static List<CacheBackend> registryImports(BuildSpec spec) {
        return spec.cache().imports().stream().filter(CacheBackend::isRegistry).toList();
    }

    private static List<CacheBackend> registryExports(BuildSpec spec) {
        return spec.cache().exports().stream().filter(CacheBackend::isRegistry).toList();
    }

    private Explanation explain(
            BuildSpec spec,
            List<StepRun> steps,
            CacheEvents events,
            DockerfileSteps dockerfile,
            InputsRecord now,
            Optional<InputsStore.Found> recorded,
            InputsRecord.Settings settings) {
        List<CacheBackend> registryImports = registryImports(spec);
        boolean firstBuild = registryImports.stream()
                .allMatch(i -> i.ref().isPresent()
                        && events.missingImports().contains(i.ref().get()));
        // A record left beside a cache that is gone (expired, deleted) describes nothing this build had.
        Optional<InputsStore.Found> found = firstBuild ? Optional.empty() : recorded;
        String noRecord = firstBuild
                ? FIRST_BUILD
                : "no inputs recorded beside the cache "
                        + registryImports.get(0).ref().orElse("")
                        + " (written by a build without cacheExplain), so nothing to compare with";
        WhyNotCached.Report report = new WhyNotCached(dockerfile, now, settings.key())
                .explain(steps, found.map(InputsStore.Found::record), noRecord, spec.buildArgs());
        return new Explanation(found.map(InputsStore.Found::cacheRef), report, Duration.ZERO);
    }

    private void show(Explanation explanation) {
        log.info(explanation
                .comparedWith()
                .map(ref -> "Why steps ran, compared with the inputs recorded beside " + ref + ":")
                .orElse("Why steps ran:"));
        for (WhyNotCached.Miss miss : explanation.report().misses()) {
            log.info("  " + miss.line());
        }
        for (String hint : explanation.report().hints()) {
            log.info("  Hint: " + hint);
        }
    }

    /** Each stage's base image as BuildKit resolved it: the text of its {@code FROM} step. */
    static Map<String, String> baseImages(List<StepRun> steps) {
        Map<String, String> images = new LinkedHashMap<>();
        for (StepRun step : steps) {
            if (step.from() && step.text().startsWith("FROM ")) {
                images.putIfAbsent(
                        step.stage(), step.text().substring("FROM ".length()).trim());
            }
        }
        return images;
    }
}
