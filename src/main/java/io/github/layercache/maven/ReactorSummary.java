package io.github.layercache.maven;

import io.github.layercache.buildx.BuildOutcome;
import io.github.layercache.image.BuildResult;
import io.github.layercache.push.PushOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.inject.Named;
import javax.inject.Singleton;
import org.apache.maven.AbstractMavenLifecycleParticipant;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.project.MavenProject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One table for the whole reactor at the end of the build, when the plugin is declared with
 * {@code <extensions>true</extensions>}: each module's image, digest, cached steps and build time.
 */
@Named("layercache-reactor-summary")
@Singleton
public class ReactorSummary extends AbstractMavenLifecycleParticipant {

    private final Logger logger = LoggerFactory.getLogger(ReactorSummary.class);

    @Override
    public void afterSessionEnd(MavenSession session) {
        List<String[]> rows = rows(session.getProjects());
        if (rows.isEmpty()) {
            return;
        }
        logger.info("layercache images:");
        for (String line : table(HEADER, rows)) {
            logger.info(line);
        }
    }

    static final String[] HEADER = {"module", "image", "digest", "cached", "time", "push", "first step not cached, why"
    };

    /** How much of a cause the table shows; the build's log and image.json have all of it. */
    private static final int CAUSE_WIDTH = 72;

    /**
     * One row per module that made an image. The digest is the one that shipped when the image was
     * pushed (a classic image store re-encodes it on push), else the one the build recorded.
     */
    static List<String[]> rows(List<MavenProject> projects) {
        List<String[]> rows = new ArrayList<>();
        for (MavenProject project : projects) {
            Optional<BuildResult> built = HandOff.build(project);
            if (built.isEmpty()) {
                continue;
            }
            BuildOutcome outcome = built.get().outcome();
            Optional<PushOutcome> pushed = HandOff.push(project);
            String digest = pushed.map(PushOutcome::digest).or(outcome::digest).orElse("");
            rows.add(new String[] {
                project.getArtifactId(),
                outcome.spec().image().name() + ":"
                        + String.join(",", outcome.spec().tags()),
                digest.length() > 19 ? digest.substring(0, 19) : digest,
                outcome.cachedSteps() + "/" + outcome.totalSteps(),
                outcome.seconds() + " s",
                pushed.isPresent() ? "pushed" : "-",
                outcome.firstCause().map(ReactorSummary::shortened).orElse("-")
            });
        }
        return rows;
    }

    private static String shortened(String cause) {
        return cause.length() <= CAUSE_WIDTH ? cause : cause.substring(0, CAUSE_WIDTH - 1) + "…";
    }

    /** Left-aligned columns, as wide as their widest cell. */
    static List<String> table(String[] header, List<String[]> rows) {
        int[] widths = new int[header.length];
        List<String[]> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        for (String[] row : all) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        List<String> lines = new ArrayList<>();
        for (String[] row : all) {
            StringBuilder line = new StringBuilder("  ");
            for (int i = 0; i < row.length; i++) {
                line.append(String.format("%-" + widths[i] + "s", row[i]));
                if (i < row.length - 1) {
                    line.append("  ");
                }
            }
            lines.add(line.toString().stripTrailing());
        }
        return lines;
    }
}
