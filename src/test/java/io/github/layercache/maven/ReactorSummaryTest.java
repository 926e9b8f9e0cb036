package io.github.layercache.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReactorSummaryTest {

    @Test
    void columnsAreAsWideAsTheirWidestCell() {
        List<String> lines = ReactorSummary.table(
                new String[] {"module", "image", "push"},
                List.of(
                        new String[] {"orders-service", "r/orders:1", "pushed"},
                        new String[] {"b", "r/team/billing:2", "-"}));

        assertThat(lines)
                .containsExactly(
                        "  module          image             push",
                        "  orders-service  r/orders:1        pushed",
                        "  b               r/team/billing:2  -");
    }
}
