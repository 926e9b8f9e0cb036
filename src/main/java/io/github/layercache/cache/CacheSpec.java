package io.github.layercache.cache;

import java.util.List;
import java.util.Optional;

/**
 * Where a build reads its layer cache from and writes it to.
 *
 * @param imports every {@code --cache-from}, in order
 * @param exports every {@code --cache-to}; empty when the build exports nothing
 * @param strict when true, a cache that cannot be read or written fails the build
 * @param exportOff why nothing is exported although the cache is on, or null
 */
public record CacheSpec(List<CacheBackend> imports, List<CacheBackend> exports, boolean strict, String exportOff) {

    public CacheSpec {
        imports = List.copyOf(imports);
        exports = List.copyOf(exports);
    }

    public CacheSpec(List<CacheBackend> imports, List<CacheBackend> exports, boolean strict) {
        this(imports, exports, strict, null);
    }

    /** Why the build exports no cache, when it was meant to (not in CI with cacheExportOnlyInCi). */
    public Optional<String> exportOffReason() {
        return Optional.ofNullable(exportOff);
    }

    public static CacheSpec none() {
        return new CacheSpec(List.of(), List.of(), false);
    }

    public boolean isEmpty() {
        return imports.isEmpty() && exports.isEmpty();
    }
}
