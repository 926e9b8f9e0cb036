package io.github.layercache.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.maven.model.Build;
import org.apache.maven.model.Model;
import org.apache.maven.model.Plugin;
import org.apache.maven.model.PluginExecution;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.Test;

class DeployOrderTest {

    private static final String KEY = "io.github.layercache:layercache-maven-plugin";

    @Test
    void theDefaultDeployExecutionRunsBeforeThePush() {
        MavenProject project = project(layercache(null), deploy(execution("default-deploy", "deploy")));

        assertThat(DeployOrder.artifactsBeforeImage(project, KEY))
                .hasValueSatisfying(reason -> assertThat(reason).contains("default-deploy"));
    }

    @Test
    void theReadmeOrderDeploysAfterThePush() {
        // default-deploy moved to the phase none, and a deploy execution declared after this plugin.
        MavenProject project = project(
                layercache(null),
                deploy(execution("default-deploy", "none"), execution("deploy-after-image", "deploy")));

        assertThat(DeployOrder.artifactsBeforeImage(project, KEY)).isEmpty();
    }

    @Test
    void aDeployExecutionDeclaredBeforeThisPluginRunsFirst() {
        MavenProject project = project(
                deploy(execution("default-deploy", "none"), execution("deploy-early", null)), layercache("deploy"));

        assertThat(DeployOrder.artifactsBeforeImage(project, KEY))
                .hasValueSatisfying(
                        reason -> assertThat(reason).contains("deploy-early").contains("declared before"));
    }

    @Test
    void aPushBoundToAnEarlierPhaseOrNoPushAtAllIsNotAProblem() {
        assertThat(DeployOrder.artifactsBeforeImage(
                        project(layercache("install"), deploy(execution("default-deploy", "deploy"))), KEY))
                .isEmpty();
        assertThat(DeployOrder.artifactsBeforeImage(project(deploy(execution("default-deploy", "deploy"))), KEY))
                .isEmpty();
    }

    private static MavenProject project(Plugin... plugins) {
        Model model = new Model();
        model.setBuild(new Build());
        for (Plugin plugin : plugins) {
            model.getBuild().addPlugin(plugin);
        }
        return new MavenProject(model);
    }

    private static Plugin layercache(String pushPhase) {
        Plugin plugin = plugin("io.github.layercache", "layercache-maven-plugin");
        PluginExecution execution = new PluginExecution();
        execution.setId("default");
        execution.setPhase(pushPhase);
        execution.setGoals(List.of("buildx-setup", "build", "push"));
        plugin.addExecution(execution);
        return plugin;
    }

    private static Plugin deploy(PluginExecution... executions) {
        Plugin plugin = plugin("org.apache.maven.plugins", "maven-deploy-plugin");
        for (PluginExecution execution : executions) {
            plugin.addExecution(execution);
        }
        return plugin;
    }

    private static PluginExecution execution(String id, String phase) {
        PluginExecution execution = new PluginExecution();
        execution.setId(id);
        execution.setPhase(phase);
        execution.setGoals(List.of("deploy"));
        return execution;
    }

    private static Plugin plugin(String groupId, String artifactId) {
        Plugin plugin = new Plugin();
        plugin.setGroupId(groupId);
        plugin.setArtifactId(artifactId);
        return plugin;
    }
}
