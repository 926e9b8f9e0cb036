package io.github.layercache.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TagMutabilityTest {

    @ParameterizedTest
    @CsvSource({
        "MUTABLE, '', buildcache, false",
        "IMMUTABLE, '', buildcache, true",
        "IMMUTABLE, '', buildcache-feature-x, true",
        "IMMUTABLE_WITH_EXCLUSION, 'buildcache*', buildcache, false",
        "IMMUTABLE_WITH_EXCLUSION, 'buildcache*', buildcache-feature-x, false",
        "IMMUTABLE_WITH_EXCLUSION, 'release-*', buildcache, true",
        "MUTABLE_WITH_EXCLUSION, 'buildcache', buildcache, true",
        "MUTABLE_WITH_EXCLUSION, 'release-*', buildcache, false",
    })
    void aTagIsFixedAsTheSettingAndItsExclusionsSay(String setting, String exclusion, String tag, boolean fixed) {
        TagMutability mutability = new TagMutability(setting, exclusion.isEmpty() ? List.of() : List.of(exclusion));

        assertThat(mutability.fixes(tag)).isEqualTo(fixed);
    }
}
