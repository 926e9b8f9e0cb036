package io.github.layercache.maven;

import io.github.layercache.core.LayercacheException;
import io.github.layercache.core.Text;
import io.github.layercache.javaapp.AppLayer;
import io.github.layercache.javaapp.JavaApp;
import io.github.layercache.spec.ProjectInfo;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.model.License;
import org.apache.maven.model.Model;
import org.apache.maven.model.Plugin;
import org.apache.maven.project.MavenProject;
import org.codehaus.plexus.util.xml.Xpp3Dom;

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

    /**
     * The facts image names and OCI labels come from. Description, URL, SCM, organization and licenses
     * count only when this project's POM or a parent POM inside the project declares them: a parent from
     * the repository (spring-boot-starter-parent) would otherwise label every image with its own.
     */
    static ProjectInfo projectInfo(MavenProject project, Path projectRoot) {
        List<Model> own = ownModels(project, projectRoot);
        List<String> licenses = new ArrayList<>();
        if (declared(own, m -> m.getLicenses().isEmpty() ? null : m.getLicenses())) {
            for (License license : project.getLicenses()) {
                if (license.getName() != null) {
                    licenses.add(license.getName());
                }
            }
        }
        return new ProjectInfo(
                project.getArtifactId(),
                project.getVersion(),
                project.getName(),
                declared(own, Model::getDescription) ? project.getDescription() : null,
                declared(own, Model::getUrl) ? project.getUrl() : null,
                project.getScm() == null || !declared(own, Model::getScm)
                        ? null
                        : project.getScm().getUrl(),
                project.getOrganization() == null || !declared(own, Model::getOrganization)
                        ? null
                        : project.getOrganization().getName(),
                licenses);
    }

    /** The POMs as written of this project and of its parents that lie inside the project root. */
    private static List<Model> ownModels(MavenProject project, Path projectRoot) {
        Path root = projectRoot.toAbsolutePath().normalize();
        List<Model> models = new ArrayList<>();
        for (MavenProject p = project; p != null; p = p.getParent()) {
            File pom = p.getFile();
            boolean inside =
                    pom != null && pom.toPath().toAbsolutePath().normalize().startsWith(root);
            if (p != project && !inside) {
                break;
            }
            models.add(p.getOriginalModel() != null ? p.getOriginalModel() : p.getModel());
        }
        return models;
    }

    private static boolean declared(List<Model> models, Function<Model, Object> field) {
        return models.stream().anyMatch(m -> m != null && field.apply(m) != null);
    }

    /** Scopes that reach the runtime class path. */
    private static final Set<String> RUNTIME_SCOPES =
            Set.of(Artifact.SCOPE_COMPILE, Artifact.SCOPE_RUNTIME, Artifact.SCOPE_SYSTEM);

    /**
     * The module's Java application: its resolved runtime class path, each jar put in its layer
     * (other modules of this reactor, snapshots, releases), and its output directory.
     */
    static JavaApp javaApp(MavenSession session, MavenProject project, String mainClass, String appRoot)
            throws LayercacheException {
        Set<String> reactor = session.getProjects().stream()
                .map(p -> p.getGroupId() + ":" + p.getArtifactId())
                .collect(Collectors.toSet());
        List<JavaApp.Dependency> classPath = new ArrayList<>();
        for (Artifact artifact : project.getArtifacts()) {
            if (!RUNTIME_SCOPES.contains(artifact.getScope())
                    || !artifact.getArtifactHandler().isAddedToClasspath()) {
                continue;
            }
            if (artifact.getFile() == null) {
                throw new LayercacheException("The dependency " + artifact + " has no file: run the build goal in"
                        + " the package phase, after Maven has resolved the runtime class path.");
            }
            AppLayer layer = reactor.contains(artifact.getGroupId() + ":" + artifact.getArtifactId())
                    ? AppLayer.REACTOR_MODULES
                    : artifact.isSnapshot() ? AppLayer.SNAPSHOT_DEPENDENCIES : AppLayer.DEPENDENCIES;
            classPath.add(new JavaApp.Dependency(
                    artifact.getFile().toPath(), fileName(artifact), artifact.getGroupId(), layer));
        }
        return new JavaApp(classPath, outputDirectory(project), mainClass(project, mainClass), appRoot);
    }

    /** {@code target/classes}, as Maven names it for this module. */
    static Path outputDirectory(MavenProject project) {
        String configured = project.getBuild().getOutputDirectory();
        return configured != null
                ? Path.of(configured)
                : project.getBasedir().toPath().resolve("target").resolve("classes");
    }

    /** {@code artifactId-baseVersion[-classifier].jar}: a snapshot keeps one name from build to build. */
    private static String fileName(Artifact artifact) {
        String classifier = !Text.isSet(artifact.getClassifier()) ? "" : "-" + artifact.getClassifier();
        String name = artifact.getArtifactId() + "-" + artifact.getBaseVersion() + classifier;
        return artifact.getFile().isDirectory()
                ? name
                : name + "." + artifact.getArtifactHandler().getExtension();
    }

    /**
     * The main class as the user or the build says it: the parameter, Spring Boot's {@code start-class}
     * property, spring-boot-maven-plugin's or maven-jar-plugin's configuration; else empty (the layout
     * then looks for it in the class files).
     */
    private static Optional<String> mainClass(MavenProject project, String configured) {
        if (Text.isSet(configured)) {
            return Optional.of(configured.strip());
        }
        String startClass = project.getProperties().getProperty("start-class");
        if (Text.isSet(startClass) && !startClass.contains("${")) {
            return Optional.of(startClass.strip());
        }
        return configuredValue(project, "org.springframework.boot:spring-boot-maven-plugin", "mainClass")
                .or(() -> configuredValue(
                        project, "org.apache.maven.plugins:maven-jar-plugin", "archive", "manifest", "mainClass"));
    }

    private static Optional<String> configuredValue(MavenProject project, String pluginKey, String... path) {
        Plugin plugin = project.getBuild().getPluginsAsMap().get(pluginKey);
        if (plugin == null || !(plugin.getConfiguration() instanceof Xpp3Dom configuration)) {
            return Optional.empty();
        }
        Xpp3Dom node = configuration;
        for (String name : path) {
            node = node.getChild(name);
            if (node == null) {
                return Optional.empty();
            }
        }
        String value = node.getValue();
        return !Text.isSet(value) || value.contains("${") ? Optional.empty() : Optional.of(value.strip());
    }
}
