package io.github.layercache.maven;

import io.github.layercache.log.BuildLog;
import java.util.List;
import java.util.Optional;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.model.Plugin;
import org.apache.maven.model.PluginExecution;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.project.MavenProject;

/**
 * Whether a module's deploy phase publishes its Maven artifacts before its image. Maven runs the
 * packaging's own executions of a phase ({@code default-deploy}) first, and the rest in the order
 * the POM declares them: so {@code deploy:deploy} runs before {@code layercache:push} unless the
 * POM moves it, and a failed image push would leave a release half-published.
 */
final class DeployOrder {

    static final String DEPLOY_PLUGIN = "org.apache.maven.plugins:maven-deploy-plugin";

    private DeployOrder() {}

    /** In a run that deploys, says before anything is published that the module's artifacts would go first. */
    static void warnIfArtifactsGoFirst(
            MavenSession session, MavenProject project, MojoExecution execution, BuildLog log) {
        if (session.getGoals() == null || !session.getGoals().contains("deploy")) {
            return;
        }
        artifactsBeforeImage(
                        project,
                        execution.getMojoDescriptor().getPluginDescriptor().getPluginLookupKey())
                .ifPresent(reason -> log.warn("This module's Maven artifacts would be deployed before its image is"
                        + " pushed (" + reason + "): if the push fails, the release is half-published. Rebind"
                        + " default-deploy to the phase none and deploy in an execution declared after this plugin"
                        + " (the README's parent POM does; the site page Many services says why)."));
    }

    /**
     * Why this module's artifacts would be deployed before its image is pushed, or empty when they
     * would not be (the push is not bound, or deploy:deploy runs after it).
     *
     * @param pluginKey this plugin's {@code groupId:artifactId}
     */
    static Optional<String> artifactsBeforeImage(MavenProject project, String pluginKey) {
        List<Plugin> plugins = project.getBuildPlugins();
        int push = indexOf(plugins, pluginKey, "push");
        if (push < 0) {
            return Optional.empty();
        }
        for (int i = 0; i < plugins.size(); i++) {
            Plugin plugin = plugins.get(i);
            if (!plugin.getKey().equals(DEPLOY_PLUGIN)) {
                continue;
            }
            for (PluginExecution execution : plugin.getExecutions()) {
                if (!execution.getGoals().contains("deploy") || !inDeployPhase(execution)) {
                    continue;
                }
                if (execution.getId().equals("default-deploy")) {
                    return Optional.of("maven-deploy-plugin's default-deploy execution runs first in the deploy phase");
                }
                if (i < push) {
                    return Optional.of(
                            "maven-deploy-plugin's " + execution.getId() + " execution is declared before this plugin");
                }
            }
        }
        return Optional.empty();
    }

    /** The position of the plugin whose execution runs {@code goal} in the deploy phase, or -1. */
    private static int indexOf(List<Plugin> plugins, String key, String goal) {
        for (int i = 0; i < plugins.size(); i++) {
            if (plugins.get(i).getKey().equals(key)
                    && plugins.get(i).getExecutions().stream()
                            .anyMatch(e -> e.getGoals().contains(goal) && inDeployPhase(e))) {
                return i;
            }
        }
        return -1;
    }

    /** An execution without a phase runs in its goal's default phase, which is deploy for both goals here. */
    private static boolean inDeployPhase(PluginExecution execution) {
        return execution.getPhase() == null || execution.getPhase().equals("deploy");
    }
}
