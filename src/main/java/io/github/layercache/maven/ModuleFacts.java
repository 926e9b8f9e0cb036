package io.github.layercache.maven;

import io.github.layercache.spec.ProjectInfo;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.model.License;
import org.apache.maven.project.MavenProject;

/** What the core needs to know of a Maven module, read from Maven's model. */
final class ModuleFacts {

    private ModuleFacts() {}

    /** The directory Maven was started for: the multi-module root, else the top-level project. */
    static Path projectRoot(MavenSession session, MavenProject project) {
        File root = session.getRequest() == null ? null : session.getRequest().getMultiModuleProjectDirectory();
        if (root == null && session.getTopLevelProject() != null) {
            root = session.getTopLevelProject().getBasedir();
        }
        return root == null ? project.getBasedir().toPath() : root.toPath();
    }

    /** The facts image names and OCI labels come from. */
    static ProjectInfo projectInfo(MavenProject project) {
        List<String> licenses = new ArrayList<>();
        for (License license : project.getLicenses()) {
            if (license.getName() != null) {
                licenses.add(license.getName());
            }
        }
        return new ProjectInfo(
                project.getArtifactId(),
                project.getVersion(),
                project.getName(),
                project.getDescription(),
                project.getUrl(),
                project.getScm() == null ? null : project.getScm().getUrl(),
                project.getOrganization() == null
                        ? null
                        : project.getOrganization().getName(),
                licenses);
    }
}
