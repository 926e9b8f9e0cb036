package io.github.layercache.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.layercache.core.InvalidSpecException;
import io.github.layercache.core.ParameterHints;
import io.github.layercache.registry.ImageReference;
import io.github.layercache.source.SourceVersion;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BranchCacheTest {

    /** Hints that know no property, as for a caller without a plugin descriptor. */
    private static final ParameterHints NO_PROPERTIES = parameter -> Optional.empty();

    private static final String IMAGE = "registry.example.com/orders";

    @Test
    void theMainBranchUsesTheImagesOwnCache() throws Exception {
        BranchCache cache = choose(null, true, "main");

        assertThat(cache.ref()).isEqualTo(IMAGE + ":buildcache");
        assertThat(cache.alsoRead()).isEmpty();
        assertThat(cache.note()).isEmpty();
    }

    @Test
    void aFeatureBranchGetsItsOwnCacheAndReadsMainsToo() throws Exception {
        BranchCache cache = choose(null, true, "feature/login-page");

        assertThat(cache.ref()).isEqualTo(IMAGE + ":buildcache-feature-login-page");
        assertThat(cache.alsoRead()).containsExactly(IMAGE + ":buildcache");
        assertThat(cache.note())
                .contains("Branch feature/login-page: cache " + IMAGE + ":buildcache-feature-login-page, also reading "
                        + IMAGE + ":buildcache");
    }

    @Test
    void withoutPerBranchCachesEveryBranchSharesMains() throws Exception {
        BranchCache cache = choose(null, false, "feature/login-page");

        assertThat(cache.ref()).isEqualTo(IMAGE + ":buildcache");
        assertThat(cache.alsoRead()).isEmpty();
    }

    @Test
    void aBuildThatKnowsNoBranchReadsMainsCacheAndWritesItsOwn() throws Exception {
        BranchCache cache =
                withoutBranch(true, p -> p.equals("branch") ? Optional.of("layercache.branch") : Optional.empty());

        assertThat(cache.ref()).isEqualTo(IMAGE + ":buildcache-unknown-branch");
        assertThat(cache.alsoRead()).containsExactly(IMAGE + ":buildcache");
        assertThat(cache.note())
                .contains("The branch of this build is not known (a detached HEAD, or CI did not say): it reads "
                        + IMAGE + ":buildcache and writes " + IMAGE + ":buildcache-unknown-branch, not the main"
                        + " branch's cache. Set -Dlayercache.branch=<branch>; a pipeline that builds main sets"
                        + " -Dlayercache.branch=main.");
    }

    @Test
    void withoutPerBranchCachesABuildThatKnowsNoBranchSharesMainsAsEveryBranchDoes() throws Exception {
        BranchCache cache = withoutBranch(false, NO_PROPERTIES);

        assertThat(cache.ref()).isEqualTo(IMAGE + ":buildcache");
        assertThat(cache.note()).isEmpty();
    }

    @Test
    void theUsersOwnCacheRefIsUsedAsItIsOnAnyBranch() throws Exception {
        BranchCache cache = choose(" other.example.com/cache:orders ", true, "feature/x");

        assertThat(cache.ref()).isEqualTo("other.example.com/cache:orders");
        assertThat(cache.alsoRead()).isEmpty();
    }

    @Test
    void aLongBranchNameStillGivesAValidTag() throws Exception {
        BranchCache cache = choose(null, true, "feature/" + "x".repeat(200));

        String tag = cache.ref().substring(cache.ref().lastIndexOf(':') + 1);
        assertThat(tag).hasSizeLessThanOrEqualTo(128).startsWith("buildcache-feature-");
        assertThat(ImageReference.validTag(tag, "cacheTag")).isEqualTo(tag);
    }

    @Test
    void anInvalidCacheTagNamesCacheTag() {
        InvalidSpecException e = catchThrowableOfType(
                InvalidSpecException.class,
                () -> BranchCache.choose(
                        ImageReference.parse(IMAGE, "image"),
                        null,
                        ".bad",
                        true,
                        "main",
                        new SourceVersion(Optional.empty(), Optional.of("main")),
                        NO_PROPERTIES));

        assertThat(e).isNotNull();
        assertThat(e.parameter()).contains("cacheTag");
    }

    private static BranchCache choose(String cacheRef, boolean perBranch, String branch) throws Exception {
        return BranchCache.choose(
                ImageReference.parse(IMAGE, "image"),
                cacheRef,
                "buildcache",
                perBranch,
                "main",
                new SourceVersion(Optional.of("0123456789abcdef0123456789abcdef01234567"), Optional.of(branch)),
                NO_PROPERTIES);
    }

    private static BranchCache withoutBranch(boolean perBranch, ParameterHints hints) throws Exception {
        return BranchCache.choose(
                ImageReference.parse(IMAGE, "image"),
                null,
                "buildcache",
                perBranch,
                "main",
                new SourceVersion(Optional.empty(), Optional.empty()),
                hints);
    }
}
