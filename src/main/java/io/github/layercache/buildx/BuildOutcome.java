package io.github.layercache.buildx;

import io.github.layercache.cache.CacheProblem;
import io.github.layercache.inputs.MissExplainer;
import io.github.layercache.inputs.StepRun;
import io.github.layercache.spec.BuildSpec;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What one build produced and how much of it came from the cache.
 *
 * @param steps the Dockerfile steps as BuildKit showed them (none for a reused image)
 * @param why why steps ran instead of coming from the cache, when the plugin could compare
 */
public record BuildOutcome(
        BuildSpec spec,
        Optional<String> digest,
        int cachedSteps,
        int totalSteps,
        List<CacheProblem> cacheProblems,
        Duration duration,
        long pulledBytes,
        String fingerprint,
        boolean reused,
        List<StepRun> steps,
        Optional<MissExplainer.Explanation> why) {

    public BuildOutcome {
        cacheProblems = List.copyOf(cacheProblems);
        steps = List.copyOf(steps);
    }

    /** What a build that ran produced. */
    public BuildOutcome(
            BuildSpec spec,
            Optional<String> digest,
            int cachedSteps,
            int totalSteps,
            List<CacheProblem> cacheProblems,
            Duration duration) {
        this(
                spec,
                digest,
                cachedSteps,
                totalSteps,
                cacheProblems,
                duration,
                0,
                null,
                false,
                List.of(),
                Optional.empty());
    }

    /** The same outcome, with what BuildKit's progress showed: the cached layers downloaded, and the steps. */
    public BuildOutcome withProgress(long bytes, List<StepRun> value) {
        return new BuildOutcome(
                spec, digest, cachedSteps, totalSteps, cacheProblems, duration, bytes, fingerprint, reused, value, why);
    }

    /** The same outcome, saying why steps ran. */
    public BuildOutcome withWhy(MissExplainer.Explanation value) {
        return new BuildOutcome(
                spec,
                digest,
                cachedSteps,
                totalSteps,
                cacheProblems,
                duration,
                pulledBytes,
                fingerprint,
                reused,
                steps,
                Optional.of(value));
    }

    /** The first step that ran, by its number only ({@code [deps 3/5]}), and why: as the reactor table shows it. */
    public Optional<String> firstCause() {
        return why.flatMap(w -> w.report().misses().stream().findFirst()).map(miss -> {
            int end = miss.step().indexOf("] ");
            String number = miss.step().startsWith("[") && end > 0 ? miss.step().substring(0, end + 1) : miss.step();
            return number + " " + miss.cause();
        });
    }

    /** No build: the registry already holds an image built from inputs with this fingerprint. */
    public static BuildOutcome reused(BuildSpec spec, String digest, String fingerprint, Duration duration) {
        return new BuildOutcome(
                spec,
                Optional.of(digest),
                0,
                0,
                List.of(),
                duration,
                0,
                fingerprint,
                true,
                List.of(),
                Optional.empty());
    }

    /** The same outcome, noting the fingerprint its image was tagged with. */
    public BuildOutcome withFingerprint(String value) {
        return new BuildOutcome(
                spec, digest, cachedSteps, totalSteps, cacheProblems, duration, pulledBytes, value, reused, steps, why);
    }

    /** How long it took, in seconds to the tenth, as the log, the reactor table and the project properties show it. */
    public String seconds() {
        return String.format(Locale.ROOT, "%.1f", duration.toMillis() / 1000.0);
    }

    /** The one line the log shows after a build. */
    public String summary() {
        if (reused) {
            return "Reused " + spec.image().withTag(spec.fingerprintTag()) + " (" + shortDigest(digest.orElseThrow())
                    + ") for " + String.join(", ", spec.taggedNames())
                    + " in " + seconds()
                    + " s: the registry has an image built from the same inputs, so nothing was built";
        }
        StringBuilder line = new StringBuilder("Built ").append(String.join(", ", spec.taggedNames()));
        digest.ifPresent(d -> line.append(" (").append(shortDigest(d)).append(')'));
        line.append(" in ").append(seconds()).append(" s");
        line.append("; ").append(cachedSteps).append(" of ").append(totalSteps).append(" steps cached");
        line.append(String.format(Locale.ROOT, "; %.1f MB of cached layers pulled", pulledBytes / 1e6));
        if (spec.output() == BuildSpec.Output.REGISTRY) {
            line.append("; pushed by digest, tags at push");
        }
        if (spec.cache().isEmpty()) {
            line.append("; cache off");
        } else {
            long failed = cacheProblems.stream().filter(p -> !p.isMiss()).count();
            line.append("; cache ").append(imports()).append(" -> ");
            line.append(
                    spec.cache().exportOffReason().isPresent()
                            ? "(no export: "
                                    + shortReason(spec.cache().exportOffReason().get()) + ")"
                            : spec.cache().exports().isEmpty() ? "(no export)" : exports());
            if (failed > 0) {
                line.append(" (")
                        .append(failed)
                        .append(failed == 1 ? " problem" : " problems")
                        .append(", see warnings)");
            }
        }
        return line.toString();
    }

    /**
     * The caches read, each as the result line names it: one that does not exist yet marked
     * {@code (none yet)}, one BuildKit could not read {@code (not read)}.
     */
    private String imports() {
        if (spec.cache().imports().isEmpty()) {
            return "(no import)";
        }
        return String.join(
                ", ",
                spec.cache().imports().stream()
                        .map(backend -> backend.describe()
                                + cacheProblems.stream()
                                        .filter(p -> p.direction() == CacheProblem.Direction.IMPORT)
                                        .filter(p -> backend.ref().isPresent()
                                                && p.target()
                                                        .equals(backend.ref().get()))
                                        .findFirst()
                                        .map(p -> p.isMiss() ? " (none yet)" : " (not read)")
                                        .orElse(""))
                        .toList());
    }

    /** The caches written, each one BuildKit could not write marked {@code (not written)}. */
    private String exports() {
        return String.join(
                ", ",
                spec.cache().exports().stream()
                        .map(backend -> backend.describe()
                                + (cacheProblems.stream()
                                                .anyMatch(p -> p.direction() == CacheProblem.Direction.EXPORT
                                                        && p.target().contains(backend.describe()))
                                        ? " (not written)"
                                        : ""))
                        .toList());
    }

    /** A reason as the result line shows it: cacheExportOnlyInCi's long one is just "not in CI". */
    private static String shortReason(String reason) {
        return reason.startsWith("cacheExportOnlyInCi") ? "not in CI" : reason;
    }

    static String shortDigest(String digest) {
        int colon = digest.indexOf(':');
        return digest.length() > colon + 13 ? digest.substring(0, colon + 13) : digest;
    }
}
