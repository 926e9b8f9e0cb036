package io.github.layercache.build;

import io.github.layercache.core.InvalidSpecException;
import io.github.layercache.spec.ImageReference;
import io.github.layercache.spec.SourceVersion;
import java.util.List;
import java.util.Optional;

/**
 * Which registry cache a build on a branch reads and writes. The main branch (and a build that
 * knows no branch) uses {@code <image>:<cacheTag>}. With {@code perBranch}, any other branch gets
 * {@code <image>:<cacheTag>-<branch>} of its own and reads the main branch's too, so that it starts
 * from main's layers and never overwrites them. A cache ref the user set is used as it is.
 *
 * @param ref the cache this build imports and exports
 * @param alsoRead more caches it imports (the main branch's, on a feature branch)
 * @param note what the log says about the choice, when there was one to make
 */
public record BranchCache(String ref, List<String> alsoRead, Optional<String> note) {

    public BranchCache {
        alsoRead = List.copyOf(alsoRead);
    }

    /**
     * @param cacheRef the user's own cache ref, or null
     * @param cacheTag the tag of the main branch's cache
     */
    public static BranchCache choose(
            ImageReference repository,
            String cacheRef,
            String cacheTag,
            boolean perBranch,
            String mainBranch,
            SourceVersion source)
            throws InvalidSpecException {
        if (cacheRef != null && !cacheRef.isBlank()) {
            return new BranchCache(cacheRef.strip(), List.of(), Optional.empty());
        }
        String mainRef = repository.withTag(ImageReference.validTag(cacheTag, "cacheTag"));
        Optional<String> featureBranch = source.branch().filter(b -> perBranch && !b.equals(mainBranch));
        if (featureBranch.isEmpty()) {
            return new BranchCache(mainRef, List.of(), Optional.empty());
        }
        String ref = repository.withTag(
                ImageReference.tagFrom(cacheTag + "-" + source.branchTag().orElseThrow()));
        return new BranchCache(
                ref,
                List.of(mainRef),
                Optional.of("Branch " + featureBranch.get() + ": cache " + ref + ", also reading " + mainRef));
    }
}
