package io.github.layercache.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextTest {

    @Test
    void blankMeansNotSet() {
        assertThat(Text.isSet(null)).isFalse();
        assertThat(Text.isSet(" \t")).isFalse();
        assertThat(Text.isSet(" a ")).isTrue();
        assertThat(Text.blankToNull(" \t")).isNull();
        assertThat(Text.blankToNull(" a ")).isEqualTo("a");
    }
}
