package io.github.layercache.maven;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.layercache.buildx.BuildOutcome;
import io.github.layercache.image.BuildResult;
import io.github.layercache.push.PushAttempts;
import io.github.layercache.push.PushOutcome;
import io.github.layercache.push.PushSpec;
import io.github.layercache.registry.ImageReference;
import io.github.layercache.spec.BuildSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.maven.model.Model;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReactorSummaryTest {

    private static final String BUILT = "sha256:1111111111111111111111111111111111111111111111111111111111111111";

    @TempDir
    Path dir;

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
    void aPushedImageShowsTheDigestThatShippedNotTheOneTheBuildRecorded() throws Exception {
        // A classic image store re-encodes the image on push: the registry serves another digest.
        MavenProject pushed = project("orders", BUILT);
        BuildResult built = HandOff.build(pushed).orElseThrow();
        HandOff.push(pushed, new PushOutcome(pushSpec(built), SHIPPED));

        List<String[]> rows = ReactorSummary.rows(List.of(pushed));

        assertThat(rows).hasSize(1);
        assertThat(rows.get(0))
                .containsExactly("orders", "r/orders:1.0.0", "sha256:222222222222", "2/3", "0.4 s", "pushed", "-");
    }

    @Test
    void anImageNotPushedShowsTheBuildsDigestAndModulesWithoutAnImageAreLeftOut() throws Exception {
        List<String[]> rows = ReactorSummary.rows(List.of(project("orders", BUILT), new MavenProject(new Model())));

        assertThat(rows).hasSize(1);
        assertThat(rows.get(0)[2]).isEqualTo("sha256:111111111111");
        assertThat(rows.get(0)[5]).isEqualTo("-");
    }

    /** A module whose build goal handed on an image, as build does. */
    private MavenProject project(String artifactId, String digest) throws Exception {
        Model model = new Model();
        model.setArtifactId(artifactId);
        MavenProject project = new MavenProject(model);
        Files.writeString(dir.resolve("Dockerfile"), "FROM scratch\n");
        BuildSpec spec = BuildSpec.builder()
                .timeout(Duration.ofHours(1))
                .provenance("false")
                .contextDirectory(dir)
                .image(ImageReference.parse("r/" + artifactId, "image"))
                .tags(List.of("1.0.0"))
                .metadataFile(dir.resolve("m.json"))
                .build();
        HandOff.build(
                project,
                new BuildResult(
                        new BuildOutcome(spec, Optional.of(digest), 2, 3, List.of(), Duration.ofMillis(400)),
                        Duration.ofMillis(450),
                        Optional.empty()));
        return project;
    }

    private static PushSpec pushSpec(BuildResult built) {
        return new PushSpec(
                built.outcome().spec().image(),
                built.outcome().spec().tags(),
                BUILT,
                new PushAttempts(1, Duration.ofSeconds(1), Duration.ofMinutes(1)),
                false);
    }
}
