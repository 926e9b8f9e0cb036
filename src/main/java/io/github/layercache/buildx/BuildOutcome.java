package io.github.layercache.buildx;

import io.github.layercache.spec.BuildSpec;
import io.github.layercache.spec.CacheBackend;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** What one build produced and how much of it came from the cache. */
public record BuildOutcome(
        BuildSpec spec,
        Optional<String> digest,
        int cachedSteps,
        int totalSteps,
        List<ProgressTracker.CacheProblem> cacheProblems,
        Duration duration,
        String fingerprint,
        boolean reused) {

    public BuildOutcome {
        cacheProblems = List.copyOf(cacheProblems);
    }

    /** What a build that ran produced. */
    public BuildOutcome(
            BuildSpec spec,
            Optional<String> digest,
            int cachedSteps,
            int totalSteps,
            List<ProgressTracker.CacheProblem> cacheProblems,
            Duration duration) {
        this(spec, digest, cachedSteps, totalSteps, cacheProblems, duration, null, false);
    }

    /** No build: the registry already holds an image built from inputs with this fingerprint. */
    public static BuildOutcome reused(BuildSpec spec, String digest, String fingerprint, Duration duration) {
        return new BuildOutcome(spec, Optional.of(digest), 0, 0, List.of(), duration, fingerprint, true);
    }

    /** The same outcome, noting the fingerprint its image was tagged with. */
    public BuildOutcome withFingerprint(String value) {
        return new BuildOutcome(spec, digest, cachedSteps, totalSteps, cacheProblems, duration, value, reused);
    }

    /** The one line the log shows after a build. */
    public String summary() {
        if (reused) {
            return "Reused " + spec.image().withTag(spec.fingerprintTag()) + " (" + shortDigest(digest.orElseThrow())
                    + ") for " + String.join(", ", spec.taggedNames())
                    + String.format(Locale.ROOT, " in %.1f s", duration.toMillis() / 1000.0)
                    + ": the registry has an image built from the same inputs, so nothing was built";
        }
        StringBuilder line = new StringBuilder("Built ").append(String.join(", ", spec.taggedNames()));
        digest.ifPresent(d -> line.append(" (").append(shortDigest(d)).append(')'));
        line.append(String.format(Locale.ROOT, " in %.1f s", duration.toMillis() / 1000.0));
        line.append("; ").append(cachedSteps).append(" of ").append(totalSteps).append(" steps cached");
        if (spec.cache().isEmpty()) {
            line.append("; cache off");
        } else {
            long failed = cacheProblems.stream().filter(p -> !p.isMiss()).count();
            line.append("; cache ").append(describe(spec.cache().imports())).append(" -> ");
            line.append(
                    spec.cache().exportOffReason().isPresent()
                            ? "(no export: not in CI)"
                            : spec.cache().exports().isEmpty()
                                    ? "(no export)"
                                    : describe(spec.cache().exports()));
            if (failed > 0) {
                line.append(" (")
                        .append(failed)
                        .append(failed == 1 ? " problem" : " problems")
                        .append(", see warnings)");
            }
        }
        return line.toString();
    }

    /** The result document written under {@code target/}, for later goals and deployment tools. */
    public Map<String, Object> toDocument() {
        Map<String, Object> cache = new LinkedHashMap<>();
        cache.put(
                "from",
                spec.cache().imports().stream().map(CacheBackend::describe).toList());
        cache.put(
                "to",
                spec.cache().exports().stream().map(CacheBackend::describe).toList());
        cache.put(
                "problems",
                cacheProblems.stream()
                        .filter(p -> !p.isMiss())
                        .map(p -> p.direction().name().toLowerCase(Locale.ROOT) + " " + p.target() + ": " + p.message())
                        .toList());
        Map<String, Object> steps = new LinkedHashMap<>();
        steps.put("cached", cachedSteps);
        steps.put("total", totalSteps);

        Map<String, Object> document = new LinkedHashMap<>();
        document.put("image", spec.image().name());
        document.put("tags", spec.tags());
        document.put("references", spec.taggedNames());
        document.put("digest", digest.orElse(null));
        document.put("cache", cache);
        document.put("steps", steps);
        document.put("durationSeconds", duration.toMillis() / 1000.0);
        if (fingerprint != null) {
            Map<String, Object> fp = new LinkedHashMap<>();
            fp.put("value", fingerprint);
            fp.put("tag", spec.fingerprintTag());
            fp.put("reused", reused);
            document.put("fingerprint", fp);
        }
        return document;
    }

    private static String describe(List<CacheBackend> backends) {
        return backends.isEmpty()
                ? "(no import)"
                : String.join(
                        ", ", backends.stream().map(CacheBackend::describe).toList());
    }

    static String shortDigest(String digest) {
        int colon = digest.indexOf(':');
        return digest.length() > colon + 13 ? digest.substring(0, colon + 13) : digest;
    }
}
