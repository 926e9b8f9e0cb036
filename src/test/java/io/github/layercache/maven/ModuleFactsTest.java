package io.github.layercache.maven;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.layercache.spec.ProjectInfo;
import java.nio.file.Path;
import org.apache.maven.model.License;
import org.apache.maven.model.Model;
import org.apache.maven.model.Organization;
import org.apache.maven.model.Scm;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModuleFactsTest {

    @TempDir
    Path dir;

    /** A project as Maven builds it: the effective model, the POM as written, its file and parent. */
    private static MavenProject project(Path pom, Model written, Model effective, MavenProject parent) {
        MavenProject project = new MavenProject(effective);
        project.setOriginalModel(written);
        project.setFile(pom.toFile());
        project.setParent(parent);
        return project;
    }

    private static Model model(String artifactId, String description, String url) {
        Model model = new Model();
        model.setGroupId("com.example");
        model.setArtifactId(artifactId);
        model.setVersion("1.0.0");
        model.setDescription(description);
        model.setUrl(url);
        return model;
    }

    private static Model withEverything(Model model) {
        Scm scm = new Scm();
        scm.setUrl("https://github.com/spring-projects/spring-boot");
        model.setScm(scm);
        Organization organization = new Organization();
        organization.setName("VMware");
        model.setOrganization(organization);
        License license = new License();
        license.setName("Apache License, Version 2.0");
        model.addLicense(license);
        return model;
    }

    @Test
    void whatAParentFromTheRepositoryDeclaresDoesNotLabelTheImage() {
        Model bootWritten = withEverything(
                model("spring-boot-starter-parent", "Parent pom providing dependency", "https://spring.io"));
        MavenProject boot =
                project(dir.resolve("m2/spring-boot-starter-parent-3.5.7.pom"), bootWritten, bootWritten.clone(), null);
        Model effective =
                withEverything(model("orders", "Parent pom providing dependency", "https://spring.io/orders"));

        ProjectInfo info = ModuleFacts.projectInfo(
                project(dir.resolve("project/pom.xml"), model("orders", null, null), effective, boot),
                dir.resolve("project"));

        assertThat(info.ociLabels())
                .containsOnlyKeys("org.opencontainers.image.title", "org.opencontainers.image.version");
    }

    @Test
    void whatTheProjectOrItsOwnParentDeclaresDoes() {
        Model parentWritten = withEverything(model("services", null, "https://example.com/services"));
        MavenProject parent = project(dir.resolve("project/pom.xml"), parentWritten, parentWritten.clone(), null);
        Model effective = withEverything(model("orders", "Takes orders", "https://example.com/services/orders"));

        ProjectInfo info = ModuleFacts.projectInfo(
                project(
                        dir.resolve("project/orders/pom.xml"),
                        model("orders", "Takes orders", null),
                        effective,
                        parent),
                dir.resolve("project"));

        assertThat(info.ociLabels())
                .containsEntry("org.opencontainers.image.description", "Takes orders")
                .containsEntry("org.opencontainers.image.url", "https://example.com/services/orders")
                .containsEntry("org.opencontainers.image.source", "https://github.com/spring-projects/spring-boot")
                .containsEntry("org.opencontainers.image.vendor", "VMware")
                .containsEntry("org.opencontainers.image.licenses", "Apache License, Version 2.0");
    }
}
