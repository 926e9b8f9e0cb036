package io.github.layercache.maven;

import java.util.ArrayList;
import java.util.List;
import org.apache.maven.model.Build;
import org.apache.maven.model.Model;
import org.apache.maven.model.Plugin;
import org.apache.maven.model.PluginExecution;
import org.codehaus.plexus.util.xml.Xpp3Dom;

/**
 * Whether a {@code pom}-packaging module wants an image. Most such modules are parents that pass the
 * plugin's configuration down, and stay quietly skipped even with a Dockerfile beside them. A module
 * that exists only to build an image says so in its own POM (not one it inherits): its plugin
 * element, or one of its executions, sets {@code dockerfile} or {@code contextDirectory}. The
 * {@code pomImage} parameter says it too.
 */
final class PomModuleImage {

    static final String GROUP_ID = "io.github.layercache";
    static final String ARTIFACT_ID = "layercache-maven-plugin";

    private PomModuleImage() {}

    /**
     * @param pomImage the {@code pomImage} parameter
     * @param ownModel the module's POM as written ({@code MavenProject.getOriginalModel()})
     */
    static boolean asked(boolean pomImage, Model ownModel) {
        if (pomImage) {
            return true;
        }
        Build build = ownModel == null ? null : ownModel.getBuild();
        if (build == null) {
            return false;
        }
        for (Plugin plugin : build.getPlugins()) {
            if (GROUP_ID.equals(plugin.getGroupId()) && ARTIFACT_ID.equals(plugin.getArtifactId())) {
                List<Object> configurations = new ArrayList<>();
                configurations.add(plugin.getConfiguration());
                for (PluginExecution execution : plugin.getExecutions()) {
                    configurations.add(execution.getConfiguration());
                }
                for (Object configuration : configurations) {
                    if (configuration instanceof Xpp3Dom dom && asksForImage(dom)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static boolean asksForImage(Xpp3Dom configuration) {
        return configuration.getChild("dockerfile") != null || configuration.getChild("contextDirectory") != null;
    }
}
