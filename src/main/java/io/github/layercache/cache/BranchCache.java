package io.github.layercache.cache;

import io.github.layercache.core.InvalidSpecException;
import io.github.layercache.core.ParameterHints;
import io.github.layercache.core.Text;
import io.github.layercache.registry.ImageReference;
import io.github.layercache.source.SourceVersion;
import java.util.List;
import java.util.Optional;

/**
 * Which registry cache a build on a branch reads and writes. The main branch uses
 * {@code <image>:<cacheTag>}. With {@code perBranch}, any other branch gets
 * {@code <image>:<cacheTag>-<branch>} of its own and reads the main branch's too, so that it starts
 * from main's layers and never overwrites them. A build that cannot tell its branch (a detached
 * HEAD, a CI build that does not say) is treated as another branch: it reads main's cache and writes
 * {@code <image>:<cacheTag>-unknown-branch}, never main's. A cache ref the user set is used as it is.
 *
 * @param ref the cache this build imports and exports
 * @param alsoRead more caches it imports (the main branch's, on a feature branch)
 * @param note what the log says about the choice, when there was one to make
 */
public record BranchCache(String ref, List<String> alsoRead, Optional<String> note) {

    /** What a build that cannot tell its branch puts after the cache tag. */
    public static final String UNKNOWN_BRANCH = "unknown-branch";

    public BranchCache {
        alsoRead = List.copyOf(alsoRead);
    }

    /**
     * @param cacheRef the user's own cache ref, or null
     * @param cacheTag the tag of the main branch's cache
     * @param hints how the user sets the branch, for the note of a build that cannot tell it
     */
    public static BranchCache choose(
            ImageReference repository,
            String cacheRef,
            String cacheTag,
            boolean perBranch,
            String mainBranch,
            SourceVersion source,
            ParameterHints hints)
            throws InvalidSpecException {
        if (Text.isSet(cacheRef)) {
            return new BranchCache(cacheRef.strip(), List.of(), Optional.empty());
        }
        String mainRef = repository.withTag(ImageReference.validTag(cacheTag, "cacheTag"));
        if (perBranch && source.branch().isEmpty()) {
            String ref = repository.withTag(ImageReference.tagFrom(cacheTag + "-" + UNKNOWN_BRANCH));
            return new BranchCache(
                    ref,
                    List.of(mainRef),
                    Optional.of("The branch of this build is not known (a detached HEAD, or CI did not say): it reads "
                            + mainRef + " and writes " + ref + ", not the " + mainBranch + " branch's cache. Set "
                            + hints.setting("branch", "<branch>") + "; a pipeline that builds " + mainBranch
                            + " sets " + hints.setting("branch", mainBranch) + "."));
        }
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
