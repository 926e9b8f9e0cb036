package io.github.layercache.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import org.apache.maven.model.Model;
import org.apache.maven.model.io.xpp3.MavenXpp3Reader;
import org.junit.jupiter.api.Test;

class PomModuleImageTest {

    private static Model pom(String build) throws Exception {
        return new MavenXpp3Reader()
                .read(new StringReader("<project><modelVersion>4.0.0</modelVersion><artifactId>images</artifactId>"
                        + "<packaging>pom</packaging>" + build + "</project>"));
    }

    private static String plugin(String inside) {
        return "<build><plugins><plugin><groupId>io.github.layercache</groupId>"
                + "<artifactId>layercache-maven-plugin</artifactId>" + inside + "</plugin></plugins></build>";
    }

    @Test
    void aPomThatSetsTheDockerfileForThePluginAsksForAnImage() throws Exception {
        assertThat(PomModuleImage.asked(
                        false, pom(plugin("<configuration><dockerfile>Dockerfile</dockerfile></configuration>"))))
                .isTrue();
    }

    @Test
    void aPomThatSetsTheContextInAnExecutionAsksForAnImage() throws Exception {
        assertThat(PomModuleImage.asked(
                        false,
                        pom(plugin("<executions><execution><goals><goal>build</goal></goals><configuration>"
                                + "<contextDirectory>docker</contextDirectory></configuration></execution>"
                                + "</executions>"))))
                .isTrue();
    }

    @Test
    void aParentThatPassesOtherSettingsDownDoesNot() throws Exception {
        assertThat(PomModuleImage.asked(
                        false,
                        pom(plugin("<configuration><registry>127.0.0.1:5000</registry></configuration>"
                                + "<executions><execution><goals><goal>build</goal></goals></execution>"
                                + "</executions>"))))
                .isFalse();
        assertThat(PomModuleImage.asked(false, pom(""))).isFalse();
    }

    @Test
    void aDockerfileSetInPluginManagementIsForTheChildrenNotThePom() throws Exception {
        Model parent = pom("<build><pluginManagement><plugins><plugin><groupId>io.github.layercache</groupId>"
                + "<artifactId>layercache-maven-plugin</artifactId><configuration><dockerfile>Dockerfile"
                + "</dockerfile></configuration></plugin></plugins></pluginManagement></build>");

        assertThat(PomModuleImage.asked(false, parent)).isFalse();
    }

    @Test
    void anotherPluginsDockerfileDoesNotCount() throws Exception {
        assertThat(PomModuleImage.asked(
                        false,
                        pom("<build><plugins><plugin><groupId>io.fabric8</groupId><artifactId>docker-maven-plugin"
                                + "</artifactId><configuration><dockerfile>Dockerfile</dockerfile></configuration>"
                                + "</plugin></plugins></build>")))
                .isFalse();
    }

    @Test
    void thePomImageParameterAsksForAnImage() throws Exception {
        assertThat(PomModuleImage.asked(true, pom(""))).isTrue();
    }
}
