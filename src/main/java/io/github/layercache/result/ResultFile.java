package io.github.layercache.result;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.layercache.buildx.BuildOutcome;
import io.github.layercache.cache.CacheBackend;
import io.github.layercache.cache.CacheProblem;
import io.github.layercache.core.JsonDocuments;
import io.github.layercache.core.LayercacheException;
import io.github.layercache.image.BuildResult;
import io.github.layercache.push.PushOutcome;
import io.github.layercache.spec.BuildSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code target/layercache/image.json}: what a module's image is, for later goals, deployment tools
 * and people. Written whole from the typed results each time, by {@code build} and again with the
 * pushed references by {@code push}; never read back and patched.
 */
public final class ResultFile {

    /**
     * The document, in the order its fields are written.
     *
     * @param output where the image went: {@code load} (the local image store), {@code registry} (by
     *     digest, untagged until push) or {@code none}
     * @param pulledBytes the cached layers the build downloaded from the registry
     */
    public record Document(
            String image,
            List<String> tags,
            List<String> references,
            String digest,
            Cache cache,
            Steps steps,
            String output,
            long pulledBytes,
            double durationSeconds,
            @JsonInclude(JsonInclude.Include.NON_NULL) Fingerprint fingerprint,
            @JsonInclude(JsonInclude.Include.NON_NULL) Why why,
            double goalSeconds,
            @JsonInclude(JsonInclude.Include.NON_NULL) List<String> command,
            @JsonInclude(JsonInclude.Include.NON_NULL) Pushed pushed) {}

    /** Where the layer cache came from and went to, and what went wrong with it. */
    public record Cache(List<String> from, List<String> to, List<String> problems) {}

    public record Steps(int cached, int total) {}

    /**
     * Why steps ran instead of coming from the cache.
     *
     * @param comparedWith the cache whose recorded inputs this build was compared with, or null when none was recorded
     * @param misses one per step whose own inputs changed, with the steps that ran because it did
     * @param hints the common mistakes behind them
     * @param seconds the plugin's time for the comparison and for recording this build's inputs
     */
    public record Why(
            @JsonInclude(JsonInclude.Include.NON_NULL) String comparedWith,
            List<Miss> misses,
            List<String> hints,
            double seconds) {}

    /** A step that was not cached, its first cause, and the steps that ran only because it did. */
    public record Miss(String step, String cause, List<String> after) {}

    /** The fingerprint of the inputs, the tag that marks it, and whether an image with it was reused. */
    public record Fingerprint(String value, String tag, boolean reused) {}

    /** What the registry serves after the push: {@code repo@digest} first, then one reference per tag. */
    public record Pushed(String digest, List<String> references) {}

    private ResultFile() {}

    public static Document document(BuildResult build, Optional<PushOutcome> push) {
        BuildOutcome outcome = build.outcome();
        BuildSpec spec = outcome.spec();
        return new Document(
                spec.image().name(),
                spec.tags(),
                spec.taggedNames(),
                outcome.digest().orElse(null),
                new Cache(
                        spec.cache().imports().stream()
                                .map(CacheBackend::describe)
                                .toList(),
                        spec.cache().exports().stream()
                                .map(CacheBackend::describe)
                                .toList(),
                        outcome.cacheProblems().stream()
                                .filter(p -> !p.isMiss())
                                .map(ResultFile::describe)
                                .toList()),
                new Steps(outcome.cachedSteps(), outcome.totalSteps()),
                spec.output().name().toLowerCase(Locale.ROOT),
                outcome.pulledBytes(),
                seconds(outcome.duration().toMillis()),
                outcome.fingerprint() == null
                        ? null
                        : new Fingerprint(outcome.fingerprint(), spec.fingerprintTag(), outcome.reused()),
                outcome.why()
                        .map(w -> new Why(
                                w.comparedWith().orElse(null),
                                w.report().misses().stream()
                                        .map(m -> new Miss(m.step(), m.cause(), m.after()))
                                        .toList(),
                                w.report().hints(),
                                seconds(w.took().toMillis())))
                        .orElse(null),
                seconds(build.goalTime().toMillis()),
                build.command().orElse(null),
                push.map(p -> new Pushed(p.digest(), p.references())).orElse(null));
    }

    /** Writes the document; the directory is created when missing. */
    public static void write(Path file, BuildResult build, Optional<PushOutcome> push) throws LayercacheException {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, JsonDocuments.write(document(build, push)), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LayercacheException("Cannot write the build result to " + file + ": " + e.getMessage());
        }
    }

    private static String describe(CacheProblem problem) {
        return problem.direction().name().toLowerCase(Locale.ROOT) + " " + problem.target() + ": " + problem.message();
    }

    private static double seconds(long millis) {
        return millis / 1000.0;
    }
}
