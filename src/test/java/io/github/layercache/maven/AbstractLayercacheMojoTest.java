package io.github.layercache.maven;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.layercache.core.BuildFailedException;
import io.github.layercache.core.InvalidSpecException;
import io.github.layercache.core.LayercacheException;
import io.github.layercache.core.ParameterHints;
import io.github.layercache.log.BuildLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AbstractLayercacheMojoTest {

    /** The build goal's properties, from the generated plugin descriptor as Maven reads it. */
    private static final ParameterHints BUILD = DescriptorHints.of(GeneratedDescriptor.mojoDescriptor("build"));

    // --- explain(): where to change the setting ---------------------------------------------------

    @Test
    void namesTheElementAndThePropertyOfAParameterWithAProperty() {
        LayercacheException e = new InvalidSpecException("tags", "Invalid image tag '.x'.");

        assertThat(AbstractLayercacheMojo.explain(e, BUILD))
                .isEqualTo("Invalid image tag '.x'. Set <tags> (or -Dlayercache.tags) in the plugin configuration.");
    }

    @ParameterizedTest
    @CsvSource({
        "dockerfile, layercache.dockerfile",
        "dockerExecutable, layercache.docker",
        "contextDirectory, layercache.context",
        "cacheRef, layercache.cache.ref",
        "cacheStrict, layercache.cache.strict",
        "timeoutSeconds, layercache.timeoutSeconds",
        "skipBuild, layercache.skip.build",
    })
    void usesThePropertyFromTheDescriptor(String parameter, String property) {
        LayercacheException e = new LayercacheException("Something is wrong.", parameter);

        assertThat(AbstractLayercacheMojo.explain(e, BUILD))
                .isEqualTo("Something is wrong. Set <" + parameter + "> (or -D" + property
                        + ") in the plugin configuration.");
    }

    @ParameterizedTest
    @CsvSource({"cacheFrom", "cacheTo", "buildArgs", "secrets", "labels", "extraArgs", "ssh"})
    void namesOnlyTheElementOfAParameterWithoutAProperty(String parameter) {
        LayercacheException e = new InvalidSpecException(parameter, "Bad entry.");

        assertThat(AbstractLayercacheMojo.explain(e, BUILD))
                .isEqualTo("Bad entry. Set <" + parameter + "> in the plugin configuration.")
                .doesNotContain("-D");
    }

    @Test
    void keepsTheMessageAloneWhenNoParameterIsNamed() {
        assertThat(AbstractLayercacheMojo.explain(new LayercacheException("Cannot write the result."), BUILD))
                .isEqualTo("Cannot write the result.");
        assertThat(AbstractLayercacheMojo.explain(
                        new BuildFailedException("docker buildx build failed (exit 1)."), BUILD))
                .isEqualTo("docker buildx build failed (exit 1).");
    }

    // --- MavenBuildLog: the module prefix in parallel sessions ---------------------------------

    @Test
    void prefixesEveryLineWithTheModuleInAParallelSession() {
        RecordingLog maven = new RecordingLog(true);
        BuildLog log = new MavenBuildLog(maven, "orders-service", true);

        log.debug("debug line");
        log.info("info line");
        log.warn("warn line");

        assertThat(maven.lines())
                .containsExactly(
                        "DEBUG [orders-service] debug line",
                        "INFO [orders-service] info line",
                        "WARN [orders-service] warn line");
    }

    @Test
    void leavesLinesAloneInASerialSession() {
        RecordingLog maven = new RecordingLog(true);
        BuildLog log = new MavenBuildLog(maven, "orders-service", false);

        log.debug("debug line");
        log.info("info line");
        log.warn("warn line");

        assertThat(maven.lines()).containsExactly("DEBUG debug line", "INFO info line", "WARN warn line");
    }

    @Test
    void dropsDebugLinesWhenDebugIsOff() {
        RecordingLog maven = new RecordingLog(false);
        BuildLog log = new MavenBuildLog(maven, "orders-service", true);

        log.debug("debug line");
        log.info("info line");

        assertThat(maven.lines()).containsExactly("INFO [orders-service] info line");
    }
}
