package io.github.layercache.cache;

import io.github.layercache.core.Text;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * buildx's {@code type=gha} cache needs the GitHub Actions runtime: a token and the cache service's
 * address, from the entry's {@code token} and {@code url} (or {@code url_v2}) or from the step's
 * {@code ACTIONS_RUNTIME_TOKEN} and {@code ACTIONS_CACHE_URL} (or {@code ACTIONS_RESULTS_URL}, the
 * current cache service). Without them buildx leaves the entry out without a word, and the build is
 * green with no cache at all. The runtime is not exposed to {@code run:} steps unless a step before
 * them does so, which is easy to forget.
 */
public final class GitHubActionsCache {

    private GitHubActionsCache() {}

    /** The gha entries buildx would drop, with what the step lacks; empty when every entry can reach the service. */
    public static Optional<String> missingRuntime(CacheSpec cache, Map<String, String> environment) {
        List<String> missing = new ArrayList<>();
        for (CacheBackend backend : backends(cache)) {
            if (!backend.type().equals("gha")) {
                continue;
            }
            if (!has(backend, environment, "token", "ACTIONS_RUNTIME_TOKEN")) {
                add(missing, "ACTIONS_RUNTIME_TOKEN");
            }
            if (!has(backend, environment, "url", "ACTIONS_CACHE_URL")
                    && !has(backend, environment, "url_v2", "ACTIONS_RESULTS_URL")) {
                add(missing, "ACTIONS_CACHE_URL or ACTIONS_RESULTS_URL");
            }
        }
        return missing.isEmpty() ? Optional.empty() : Optional.of(String.join(" and ", missing));
    }

    /** The cache without the gha entries, which buildx would drop anyway: the log then says what really happens. */
    public static CacheSpec withoutGha(CacheSpec cache, String why) {
        List<CacheBackend> exports = withoutGha(cache.exports());
        return new CacheSpec(
                withoutGha(cache.imports()),
                exports,
                cache.strict(),
                exports.isEmpty() && !cache.exports().isEmpty()
                        ? why
                        : cache.exportOffReason().orElse(null));
    }

    /** What the build says before it starts, when {@link #missingRuntime} found something. */
    public static String message(String missing) {
        return "The type=gha cache cannot be used here: this step has no " + missing
                + ", so buildx would leave the GitHub Actions cache out without a word (nothing read, nothing"
                + " written). Building without it. On GitHub Actions, expose the runtime to the step that runs"
                + " Maven (a step before it, such as crazy-max/ghaction-github-runtime, exports"
                + " ACTIONS_RUNTIME_TOKEN and the cache URLs to the job), or keep the cache in a registry instead"
                + " (GHCR or ECR: the default registry cache, cacheRef).";
    }

    private static List<CacheBackend> withoutGha(List<CacheBackend> backends) {
        return backends.stream().filter(b -> !b.type().equals("gha")).toList();
    }

    private static boolean has(CacheBackend backend, Map<String, String> environment, String param, String variable) {
        String own = backend.params().get(param);
        String fromStep = environment.get(variable);
        return Text.isSet(own) || Text.isSet(fromStep);
    }

    private static List<CacheBackend> backends(CacheSpec cache) {
        List<CacheBackend> all = new ArrayList<>(cache.imports());
        all.addAll(cache.exports());
        return all;
    }

    private static void add(List<String> missing, String what) {
        if (!missing.contains(what)) {
            missing.add(what);
        }
    }
}
