package io.github.layercache.spec;

import java.util.List;

/**
 * Where a build reads its layer cache from and writes it to.
 *
 * @param imports every {@code --cache-from}, in order
 * @param exports every {@code --cache-to}; empty when the build exports nothing
 * @param strict when true, a cache that cannot be read or written fails the build
 */
public record CacheSpec(List<CacheBackend> imports, List<CacheBackend> exports, boolean strict) {

    public CacheSpec {
        imports = List.copyOf(imports);
        exports = List.copyOf(exports);
    }

    public static CacheSpec none() {
        return new CacheSpec(List.of(), List.of(), false);
    }

    public boolean isEmpty() {
        return imports.isEmpty() && exports.isEmpty();
    }
}
