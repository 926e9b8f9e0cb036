package io.github.layercache.maven;

import io.github.layercache.core.LayercacheException;
import io.github.layercache.log.BuildLog;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/** What every goal shares: skip handling, the log, and turning core errors into messages that say what to set. */
abstract class AbstractLayercacheMojo extends AbstractMojo {

    /**
     * Skips every goal of this plugin.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.SKIP, defaultValue = "false")
    protected boolean skip;

    /**
     * The docker CLI to run, a name on the {@code PATH} or a full path.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.DOCKER, defaultValue = "docker")
    protected String dockerExecutable;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    protected MavenProject project;

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    protected MavenSession session;

    @Parameter(defaultValue = "${mojoExecution}", readonly = true, required = true)
    protected MojoExecution mojoExecution;

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("Skipping layercache (" + PropertyNames.SKIP + "=true)");
            return;
        }
        if ("pom".equals(project.getPackaging())) {
            getLog().debug("Skipping layercache for pom packaging");
            return;
        }
        BuildLog log = new MavenBuildLog(getLog(), project.getArtifactId(), session.isParallel());
        try {
            run(log);
        } catch (LayercacheException e) {
            throw new MojoFailureException(explain(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MojoExecutionException("Interrupted; the docker process was stopped.", e);
        }
    }

    /** The goal's work, once skip checks have passed. */
    protected abstract void run(BuildLog log) throws LayercacheException, InterruptedException;

    /** The core's message plus where to change the setting: the XML element and, when there is one, its -D property. */
    static String explain(LayercacheException e) {
        return e.parameter()
                .map(parameter -> e.getMessage() + " Set <" + parameter + ">"
                        + PropertyNames.forParameter(parameter)
                                .map(property -> " (or -D" + property + ")")
                                .orElse("")
                        + " in the plugin configuration.")
                .orElse(e.getMessage());
    }
}
