package io.github.layercache.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.layercache.cache.CacheBackend;
import io.github.layercache.core.InvalidSpecException;
import io.github.layercache.core.LayercacheException;
import io.github.layercache.registry.RegistryCredential;
import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.maven.api.di.Provides;
import org.apache.maven.api.plugin.testing.Basedir;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoExtension;
import org.apache.maven.api.plugin.testing.MojoParameter;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.execution.DefaultMavenExecutionRequest;
import org.apache.maven.execution.DefaultMavenExecutionResult;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.model.Build;
import org.apache.maven.model.Model;
import org.apache.maven.model.io.xpp3.MavenXpp3Reader;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.project.MavenProject;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.eclipse.aether.RepositorySystemSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.sonatype.plexus.components.cipher.DefaultPlexusCipher;

/**
 * Runs the real {@code execute()} of the {@code build} goal, configured by the plugin-testing
 * harness from the generated descriptor (defaults, {@code <configuration>}, {@code -D}
 * properties). The project is read from the {@code pom.xml} in the test's {@link Basedir}; the
 * session is a real {@link MavenSession} whose user properties and parallel flag come from
 * {@link WithSession}. Docker is never run: where the goal could reach it, the docker executable
 * is {@value #NO_DOCKER}, so that trying to run it fails loudly, or a stand-in script.
 */
@MojoTest
class BuildMojoTest {

    static final String NO_DOCKER = "/nonexistent/docker";

    /** The session the test runs in. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @interface WithSession {
        /** {@code name=value} user properties, as given with {@code -D}. */
        String[] userProperties() default {};

        boolean parallel() default false;
    }

    private final TestInfo testInfo;
    private final RecordingLog log = new RecordingLog();
    private MavenProject project;
    private MavenSession session;
    private Path buildDirectory;

    BuildMojoTest(TestInfo testInfo) {
        this.testInfo = testInfo;
    }

    @Provides
    MavenProject provideProject() throws Exception {
        return mavenProject();
    }

    @Provides
    MavenSession provideSession() throws Exception {
        return mavenSession();
    }

    @AfterEach
    void deleteBuildDirectory() throws IOException {
        if (buildDirectory != null && Files.exists(buildDirectory)) {
            try (Stream<Path> files = Files.walk(buildDirectory)) {
                for (Path file : files.sorted((a, b) -> b.compareTo(a)).toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    // --- the harness wires this test's project and session into the mojo -----------------------

    @Test
    @Basedir("/unit/no-dockerfile")
    @InjectMojo(goal = "build")
    void harnessConfiguresTheMojoFromTheDescriptorDefaults(BuildMojo mojo) throws Exception {
        assertThat(field(mojo, "project")).isSameAs(project);
        assertThat(field(mojo, "session")).isSameAs(session);
        assertThat(field(mojo, "skip")).isEqualTo(false);
        assertThat(field(mojo, "dockerExecutable")).isEqualTo("docker");
        assertThat(field(mojo, "contextDirectory")).isEqualTo(basedir().toFile());
        assertThat(field(mojo, "tags")).isEqualTo(List.of("1.0.0"));
        assertThat(field(mojo, "cacheTag")).isEqualTo("buildcache");
        assertThat(field(mojo, "resultFile"))
                .isEqualTo(buildDirectory.resolve("layercache/image.json").toFile());
    }

    // --- registry credentials from settings.xml ----------------------------------------------------

    @Test
    @Basedir("/unit/with-dockerfile")
    @InjectMojo(goal = "build")
    void aSettingsServerNamedAfterTheHostGivesItsDecryptedPassword(BuildMojo mojo, @TempDir Path security)
            throws Exception {
        // As mvn --encrypt-master-password and --encrypt-password make them.
        DefaultPlexusCipher cipher = new DefaultPlexusCipher();
        Path securityFile = security.resolve("settings-security.xml");
        Files.writeString(
                securityFile,
                "<settingsSecurity><master>" + cipher.encryptAndDecorate("master-secret", "settings.security")
                        + "</master></settingsSecurity>");
        Server server = new Server();
        server.setId("registry.example.com:5000");
        server.setUsername("ci");
        server.setPassword(cipher.encryptAndDecorate("registry-password", "master-secret"));
        Settings settings = new Settings();
        settings.addServer(server);
        MojoExtension.setVariableValueToObject(mojo, "settings", settings);
        String previous = System.setProperty("settings.security", securityFile.toString());
        try {
            assertThat(mojo.serverCredential("registry.example.com:5000"))
                    .contains(new RegistryCredential("registry.example.com:5000", "ci", "registry-password"));
            assertThat(mojo.serverCredential("other.example.com")).isEmpty();
        } finally {
            if (previous == null) {
                System.clearProperty("settings.security");
            } else {
                System.setProperty("settings.security", previous);
            }
        }
    }

    // --- skipping ------------------------------------------------------------------------------

    @Test
    @Basedir("/unit/no-dockerfile")
    @InjectMojo(goal = "build")
    @MojoParameter(name = "skip", value = "true")
    @MojoParameter(name = "dockerExecutable", value = NO_DOCKER)
    void skipReturnsBeforeLookingForADockerfile(BuildMojo mojo) {
        mojo.setLog(log);

        assertThatCode(mojo::execute).doesNotThrowAnyException();

        assertThat(log.lines()).containsExactly("INFO Skipping layercache (layercache.skip=true)");
        assertNothingPublished();
    }

    @Test
    @Basedir("/unit/no-dockerfile")
    @InjectMojo(goal = "build")
    @WithSession(userProperties = {"layercache.skip=true", "layercache.docker=" + NO_DOCKER})
    void skipWorksAsUserProperty(BuildMojo mojo) {
        mojo.setLog(log);

        assertThatCode(mojo::execute).doesNotThrowAnyException();

        assertThat(log.lines()).containsExactly("INFO Skipping layercache (layercache.skip=true)");
        assertNothingPublished();
    }

    @Test
    @Basedir("/unit/no-dockerfile")
    @InjectMojo(goal = "build")
    @MojoParameter(name = "skipBuild", value = "true")
    @MojoParameter(name = "dockerExecutable", value = NO_DOCKER)
    void skipBuildReturnsBeforeLookingForADockerfile(BuildMojo mojo) {
        mojo.setLog(log);

        assertThatCode(mojo::execute).doesNotThrowAnyException();

        assertThat(log.lines()).containsExactly("INFO Skipping the image build (layercache.skip.build=true)");
        assertNothingPublished();
    }

    @Test
    @Basedir("/unit/no-dockerfile")
    @InjectMojo(goal = "build")
    @WithSession(
            parallel = true,
            userProperties = {"layercache.skip.build=true", "layercache.docker=" + NO_DOCKER})
    void skipBuildAsUserPropertyInAParallelSessionLogsWithTheModulePrefix(BuildMojo mojo) {
        mojo.setLog(log);

        assertThatCode(mojo::execute).doesNotThrowAnyException();

        assertThat(log.lines())
                .containsExactly("INFO [sample-app] Skipping the image build (layercache.skip.build=true)");
    }

    @Test
    @Basedir("/unit/pom-packaging")
    @InjectMojo(goal = "build")
    @MojoParameter(name = "dockerExecutable", value = NO_DOCKER)
    void pomPackagingReturnsQuietly(BuildMojo mojo) {
        mojo.setLog(log);
        assertThat(project.getPackaging()).isEqualTo("pom");

        assertThatCode(mojo::execute).doesNotThrowAnyException();

        assertThat(log.lines())
                .containsExactly("DEBUG Skipping layercache for pom packaging: this POM does not set dockerfile,"
                        + " contextDirectory or pomImage for the plugin");
        assertNothingPublished();
    }

    // --- errors name the setting to change -----------------------------------------------------

    @Test
    @Basedir("/unit/no-dockerfile")
    @InjectMojo(goal = "build")
    @MojoParameter(name = "dockerExecutable", value = NO_DOCKER)
    void moduleWithoutDockerfileIsSkippedWithOneInfoLine(BuildMojo mojo) throws Exception {
        RecordingLog log = new RecordingLog();
        mojo.setLog(log);

        mojo.execute();

        assertThat(log.lines())
                .containsExactly(
                        "INFO No Dockerfile in " + basedir() + ": no image for this module (set <dockerfile> to"
                                + " build one, or layercache.failWithoutDockerfile=true to make this an error).");
        assertNothingPublished();
    }

    @Test
    @Basedir("/unit/no-dockerfile")
    @InjectMojo(goal = "build")
    @MojoParameter(name = "dockerExecutable", value = NO_DOCKER)
    @MojoParameter(name = "failWithoutDockerfile", value = "true")
    void missingDockerfileNamesItsPathElementAndProperty(BuildMojo mojo) throws Exception {
        MojoFailureException e = catchThrowableOfType(MojoFailureException.class, mojo::execute);

        Path expected = basedir().resolve("Dockerfile").toAbsolutePath().normalize();
        assertThat(e).isNotNull();
        assertThat(e.getMessage())
                .contains("Dockerfile not found: " + expected)
                .contains("<dockerfile>")
                .contains("(or -Dlayercache.dockerfile)")
                .endsWith(" in the plugin configuration.");
        assertThat(e.getCause()).isInstanceOfSatisfying(InvalidSpecException.class, c -> assertThat(c.parameter())
                .contains("dockerfile"));
        assertNothingPublished();
    }

    @Test
    @Basedir("/unit/with-dockerfile")
    @InjectMojo(goal = "build")
    @WithSession(userProperties = {"layercache.dockerfile=docker/Release.Dockerfile"})
    @MojoParameter(name = "dockerExecutable", value = NO_DOCKER)
    void dockerfileFromUserPropertyIsResolvedAgainstTheContext(BuildMojo mojo) throws Exception {
        MojoFailureException e = catchThrowableOfType(MojoFailureException.class, mojo::execute);

        assertThat(e).isNotNull();
        assertThat(e.getMessage())
                .contains("Dockerfile not found: " + basedir().resolve("docker/Release.Dockerfile"))
                .contains("<dockerfile>")
                .contains("(or -Dlayercache.dockerfile)");
    }

    @Test
    @Basedir("/unit/with-dockerfile")
    @InjectMojo(goal = "build")
    @MojoParameter(name = "tags", value = ".bad")
    @MojoParameter(name = "dockerExecutable", value = NO_DOCKER)
    void invalidTagNamesElementAndProperty(BuildMojo mojo) {
        MojoFailureException e = catchThrowableOfType(MojoFailureException.class, mojo::execute);

        assertThat(e).isNotNull();
        assertThat(e.getMessage())
                .startsWith("Invalid image tag '.bad'")
                .endsWith(" Set <tags> (or -Dlayercache.tags) in the plugin configuration.");
        assertNothingPublished();
    }

    @Test
    @Basedir("/unit/with-dockerfile")
    @InjectMojo(goal = "build")
    @WithSession(userProperties = {"layercache.tags=1.0.0,-bad", "layercache.docker=" + NO_DOCKER})
    void tagsFromUserPropertyAreSplitAtCommas(BuildMojo mojo) throws Exception {
        assertThat(field(mojo, "tags")).isEqualTo(List.of("1.0.0", "-bad"));

        MojoFailureException e = catchThrowableOfType(MojoFailureException.class, mojo::execute);

        assertThat(e).isNotNull();
        assertThat(e.getMessage())
                .startsWith("Invalid image tag '-bad'")
                .endsWith(" Set <tags> (or -Dlayercache.tags) in the plugin configuration.");
    }

    @Test
    @Basedir("/unit/unknown-cache-type")
    @InjectMojo(goal = "build")
    void unknownCacheTypeListsTheKnownTypesAndNamesOnlyTheElement(BuildMojo mojo) throws Exception {
        assertThat(field(mojo, "cacheFrom"))
                .isEqualTo(List.of("registry.example.com/sample-app:main", "type=memcached,host=cache.example.com"));

        MojoFailureException e = catchThrowableOfType(MojoFailureException.class, mojo::execute);

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("Unknown cache type 'memcached'");
        for (String type : CacheBackend.TYPES) {
            assertThat(e.getMessage()).contains(type);
        }
        assertThat(e.getMessage())
                .endsWith(" Set <cacheFrom> in the plugin configuration.")
                .doesNotContain("-D");
        assertNothingPublished();
    }

    @Test
    @Basedir("/unit/with-dockerfile")
    @InjectMojo(goal = "build")
    @MojoParameter(name = "dockerExecutable", value = NO_DOCKER)
    void missingDockerExecutableNamesElementAndProperty(BuildMojo mojo) {
        MojoFailureException e = catchThrowableOfType(MojoFailureException.class, mojo::execute);

        assertThat(e).isNotNull();
        assertThat(e.getMessage())
                .startsWith("Cannot run '" + NO_DOCKER + "'")
                .endsWith(" Set <dockerExecutable> (or -Dlayercache.docker) in the plugin configuration.");
        assertThat(e.getCause()).isInstanceOfSatisfying(LayercacheException.class, c -> assertThat(c.parameter())
                .contains("dockerExecutable"));
        assertThat(project.getProperties()).doesNotContainKey(PropertyNames.RESULT_IMAGE);
    }

    @Test
    @Basedir("/unit/with-dockerfile")
    @InjectMojo(goal = "build")
    @WithSession(userProperties = {"layercache.cache.tag=.bad", "layercache.docker=" + NO_DOCKER})
    void invalidCacheTagNamesTheCacheTagSetting(BuildMojo mojo) {
        MojoFailureException e = catchThrowableOfType(MojoFailureException.class, mojo::execute);

        assertThat(e).isNotNull();
        assertThat(e.getMessage())
                .contains("'.bad'")
                .endsWith(" Set <cacheTag> (or -Dlayercache.cache.tag) in the plugin configuration.");
    }

    // --- a build that succeeds, with a stand-in for docker --------------------------------------

    @Test
    @Basedir("/unit/with-dockerfile")
    @InjectMojo(goal = "build")
    @MojoParameter(name = "registry", value = "registry.example.com:5000/")
    @MojoParameter(name = "tags", value = "1.0.0,latest")
    @WithSession(userProperties = {"layercache.cache.tag=cache-main"})
    void successfulBuildPublishesProjectPropertiesAndResultFile(BuildMojo mojo) throws Exception {
        String digest = "sha256:" + "ab".repeat(32);
        Path docker = fakeDocker(digest);
        MojoExtension.setVariableValueToObject(mojo, "dockerExecutable", docker.toString());
        mojo.setLog(log);

        mojo.execute();

        List<String> argv = Files.readAllLines(docker.resolveSibling("argv.txt"), StandardCharsets.UTF_8);
        Path metadata = buildDirectory.resolve("layercache/image-buildx-metadata.json");
        assertThat(argv)
                .startsWith("buildx", "build")
                .containsSubsequence("--file", basedir().resolve("Dockerfile").toString())
                .containsSubsequence("--tag", "registry.example.com:5000/sample-app:1.0.0")
                .containsSubsequence("--tag", "registry.example.com:5000/sample-app:latest")
                .containsSubsequence("--label", "org.opencontainers.image.title=Sample App")
                .containsSubsequence(
                        "--cache-from", "type=registry,ref=registry.example.com:5000/sample-app:cache-main")
                .containsSubsequence("--metadata-file", metadata.toString())
                .contains("--load")
                .endsWith(basedir().toString());

        Properties properties = project.getProperties();
        assertThat(properties.getProperty(PropertyNames.RESULT_IMAGE))
                .isEqualTo("registry.example.com:5000/sample-app");
        assertThat(properties.getProperty(PropertyNames.RESULT_TAGS)).isEqualTo("1.0.0,latest");
        assertThat(properties.getProperty(PropertyNames.RESULT_DIGEST)).isEqualTo(digest);
        assertThat(properties.getProperty(PropertyNames.RESULT_REFERENCE))
                .isEqualTo("registry.example.com:5000/sample-app@" + digest);

        Path resultFile = buildDirectory.resolve("layercache/image.json");
        assertThat(resultFile).isRegularFile();
        assertThat(Files.readString(resultFile, StandardCharsets.UTF_8))
                .contains("\"registry.example.com:5000/sample-app\"")
                .contains(digest);
        assertThat(log.messages())
                .contains("#1 [internal] load build definition from Dockerfile")
                .anySatisfy(line -> assertThat(line).startsWith("Built registry.example.com:5000/sample-app:1.0.0"));
    }

    // --- helpers -------------------------------------------------------------------------------

    /** A docker stand-in that records its arguments and writes the buildx metadata file. */
    private Path fakeDocker(String digest) throws IOException {
        Path script = buildDirectory.resolve("fake-docker.sh");
        Files.writeString(
                script,
                String.join(
                        "\n",
                        "#!/bin/sh",
                        "printf '%s\\n' \"$@\" > \"$(dirname \"$0\")/argv.txt\"",
                        "while [ $# -gt 0 ]; do",
                        "  if [ \"$1\" = --metadata-file ]; then",
                        "    printf '{\"containerimage.digest\": \"" + digest + "\"}' > \"$2\"",
                        "  fi",
                        "  shift",
                        "done",
                        "echo '#1 [internal] load build definition from Dockerfile'",
                        "echo '#1 DONE 0.0s'",
                        "exit 0",
                        ""),
                StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    private void assertNothingPublished() {
        assertThat(project.getProperties()).doesNotContainKeys(PropertyNames.RESULT_IMAGE, PropertyNames.RESULT_DIGEST);
        assertThat(buildDirectory.resolve("layercache")).doesNotExist();
    }

    private static Object field(BuildMojo mojo, String name) throws IllegalAccessException {
        return MojoExtension.getVariableValueFromObject(mojo, name);
    }

    /** The test's project directory, as {@link Basedir} names it (the harness resolves it the same way). */
    private Path basedir() {
        String name = testInfo.getTestMethod()
                .map(m -> m.getAnnotation(Basedir.class))
                .map(Basedir::value)
                .orElseThrow(() -> new IllegalStateException("Give the test a @Basedir"));
        URL resource = BuildMojoTest.class.getResource(name);
        if (resource == null) {
            throw new IllegalStateException("No test project at " + name);
        }
        try {
            return Path.of(resource.toURI()).toAbsolutePath().normalize();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private MavenProject mavenProject() throws Exception {
        if (project == null) {
            Path basedir = basedir();
            Path pom = basedir.resolve("pom.xml");
            Model model;
            try (Reader reader = Files.newBufferedReader(pom, StandardCharsets.UTF_8)) {
                model = new MavenXpp3Reader().read(reader);
            }
            String name = testInfo.getTestMethod().orElseThrow().getName();
            buildDirectory = Files.createDirectories(
                    Path.of(MojoExtension.getBasedir(), "target", "unit-tests", name + "-" + System.nanoTime()));
            Build build = model.getBuild() == null ? new Build() : model.getBuild();
            build.setDirectory(buildDirectory.toString());
            model.setBuild(build);
            project = new MavenProject(model);
            project.setFile(pom.toFile());
        }
        return project;
    }

    private MavenSession mavenSession() throws Exception {
        if (session == null) {
            WithSession settings = testInfo.getTestMethod()
                    .map(m -> m.getAnnotation(WithSession.class))
                    .orElse(null);
            Properties userProperties = new Properties();
            if (settings != null) {
                for (String property : settings.userProperties()) {
                    int eq = property.indexOf('=');
                    userProperties.setProperty(property.substring(0, eq), property.substring(eq + 1));
                }
            }
            DefaultMavenExecutionRequest request = new DefaultMavenExecutionRequest();
            request.setUserProperties(userProperties);
            request.setSystemProperties(new Properties());
            request.setBaseDirectory(new File(basedir().toString()));
            session =
                    new MavenSession(null, (RepositorySystemSession) null, request, new DefaultMavenExecutionResult());
            session.setProjects(List.of(mavenProject()));
            session.setCurrentProject(mavenProject());
            session.setParallel(settings != null && settings.parallel());
        }
        return session;
    }
}
