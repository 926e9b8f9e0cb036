package io.github.layercache.cache;

import io.github.layercache.core.InvalidSpecException;
import io.github.layercache.registry.ImageReference;
import io.github.layercache.source.CiEnvironment;
import java.util.ArrayList;
import java.util.List;

/**
 * The user's cache settings, before they become {@code --cache-from}/{@code --cache-to}: one
 * registry cache per image by default, exported in the form Amazon ECR accepts.
 *
 * @param enabled whether to use any cache at all
 * @param ref the image's own registry cache, e.g. {@code registry/app:buildcache}
 * @param mode {@code max} (every stage's layers) or {@code min} (only the final image's)
 * @param extraImports more caches to read, as refs or raw {@code type=…} specs
 * @param customExports raw exports replacing the default registry export
 * @param exportOnlyInCi export only when running in CI
 * @param ci whether this build runs in CI, and what says so
 * @param strict fail the build when a cache cannot be read or written
 */
public record CachePolicy(
        boolean enabled,
        String ref,
        String mode,
        List<String> extraImports,
        List<String> customExports,
        boolean exportOnlyInCi,
        CiEnvironment ci,
        boolean strict) {

    public CachePolicy {
        extraImports = List.copyOf(extraImports);
        customExports = List.copyOf(customExports);
    }

    public CacheSpec resolve() throws InvalidSpecException {
        if (!enabled) {
            if (strict) {
                throw new InvalidSpecException(
                        "cacheStrict",
                        "The cache is off (cache=false) but strict (cacheStrict=true): turn one of them off.");
            }
            return CacheSpec.none();
        }
        if (!mode.equals("max") && !mode.equals("min")) {
            throw new InvalidSpecException("cacheMode", "Invalid cache mode '" + mode + "': use max or min.");
        }
        checkRef(ref);
        List<CacheBackend> imports = new ArrayList<>();
        imports.add(CacheBackend.registry(ref));
        for (String extra : extraImports) {
            CacheBackend backend = CacheBackend.parse(extra, "cacheFrom");
            if (!imports.contains(backend)) {
                imports.add(backend);
            }
        }
        List<CacheBackend> exports = exports(); // validated also where they are not used
        if (exportOnlyInCi && !ci.inCi()) {
            return new CacheSpec(
                    imports,
                    List.of(),
                    strict,
                    "cacheExportOnlyInCi is on and this is not a CI build: " + ci.description());
        }
        return new CacheSpec(imports, exports, strict);
    }

    private List<CacheBackend> exports() throws InvalidSpecException {
        List<CacheBackend> exports = new ArrayList<>();
        for (String custom : customExports) {
            exports.add(tolerant(CacheBackend.parse(custom, "cacheTo")));
        }
        if (exports.isEmpty()) {
            CacheBackend registry = CacheBackend.registry(ref)
                    .with("mode", mode)
                    .with("image-manifest", "true")
                    .with("oci-mediatypes", "true");
            exports.add(tolerant(registry));
        }
        return exports;
    }

    /** Unless strict, a failed export must not fail the build (the inline cache has no such option). */
    private CacheBackend tolerant(CacheBackend backend) {
        if (strict || backend.type().equals("inline") || backend.params().containsKey("ignore-error")) {
            return backend;
        }
        return backend.with("ignore-error", "true");
    }

    private static void checkRef(String ref) throws InvalidSpecException {
        int colon = ref == null ? -1 : ref.lastIndexOf(':');
        if (colon < 0 || colon < ref.lastIndexOf('/')) {
            throw new InvalidSpecException(
                    "cacheRef",
                    "Invalid cache ref '" + ref + "': write repository:tag, e.g. registry.example.com/app:buildcache.");
        }
        ImageReference.parse(ref.substring(0, colon), "cacheRef");
        ImageReference.validTag(ref.substring(colon + 1), "cacheRef");
    }
}
