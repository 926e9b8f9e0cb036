package io.github.layercache.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.maven.model.Model;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.Test;

class ReactorSummaryTest {

    private static final String BUILT = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
    private static final String SHIPPED = "sha256:2222222222222222222222222222222222222222222222222222222222222222";

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

    @Test
    void aPushedImageShowsTheDigestThatShippedNotTheOneTheBuildRecorded() {
        // A classic image store re-encodes the image on push: the registry serves another digest.
        MavenProject pushed = project("orders", BUILT);
        pushed.getProperties().setProperty(PropertyNames.RESULT_PUSHED_DIGEST, SHIPPED);

        List<String[]> rows = ReactorSummary.rows(List.of(pushed));

        assertThat(rows).hasSize(1);
        assertThat(rows.get(0))
                .containsExactly("orders", "r/orders:1.0.0", "sha256:222222222222", "2/3", "0.4 s", "pushed");
    }

    @Test
    void anImageNotPushedShowsTheBuildsDigestAndModulesWithoutAnImageAreLeftOut() {
        List<String[]> rows = ReactorSummary.rows(List.of(project("orders", BUILT), new MavenProject(new Model())));

        assertThat(rows).hasSize(1);
        assertThat(rows.get(0)[2]).isEqualTo("sha256:111111111111");
        assertThat(rows.get(0)[5]).isEqualTo("-");
    }

    private static MavenProject project(String artifactId, String digest) {
        Model model = new Model();
        model.setArtifactId(artifactId);
        MavenProject project = new MavenProject(model);
        project.getProperties().setProperty(PropertyNames.RESULT_IMAGE, "r/" + artifactId);
        project.getProperties().setProperty(PropertyNames.RESULT_TAGS, "1.0.0");
        project.getProperties().setProperty(PropertyNames.RESULT_DIGEST, digest);
        project.getProperties().setProperty(PropertyNames.RESULT_STEPS, "2/3");
        project.getProperties().setProperty(PropertyNames.RESULT_SECONDS, "0.4");
        return project;
    }
}
