package io.github.layercache.maven;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
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
        List<String[]> rows = new ArrayList<>();
        for (MavenProject project : session.getProjects()) {
            Properties built = project.getProperties();
            String image = built.getProperty(PropertyNames.RESULT_IMAGE);
            if (image == null) {
                continue;
            }
            String digest = built.getProperty(PropertyNames.RESULT_DIGEST, "");
            rows.add(new String[] {
                project.getArtifactId(),
                image + ":" + built.getProperty(PropertyNames.RESULT_TAGS, ""),
                digest.length() > 19 ? digest.substring(0, 19) : digest,
                built.getProperty(PropertyNames.RESULT_STEPS, ""),
                built.getProperty(PropertyNames.RESULT_SECONDS, "") + " s",
                built.getProperty(PropertyNames.RESULT_PUSHED_DIGEST) != null ? "pushed" : "-"
            });
        }
        if (rows.isEmpty()) {
            return;
        }
        logger.info("layercache images:");
        for (String line : table(new String[] {"module", "image", "digest", "cached", "time", "push"}, rows)) {
            logger.info(line);
        }
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
