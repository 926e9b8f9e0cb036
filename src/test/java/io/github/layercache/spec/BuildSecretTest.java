package io.github.layercache.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.layercache.core.InvalidSpecException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Build secrets are checked once, where they are made from the user's configuration. */
class BuildSecretTest {

    @TempDir
    Path dir;

    private static final Map<String, String> ENVIRONMENT = Map.of("NPM_TOKEN", "s3cr3t");

    @Test
    void secretWithAMissingFileNamesSecrets() {
        Path absent = dir.resolve("absent-token");

        InvalidSpecException e = rejected("token", absent.toString(), null);

        assertThat(e.parameter()).contains("secrets");
        assertThat(e).hasMessageContaining("token").hasMessageContaining(absent.toString());
    }

    @Test
    void secretWithAnExistingFileIsAccepted() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "s3cr3t");

        BuildSecret secret = BuildSecret.of("token", token.toString(), null, dir, ENVIRONMENT);

        assertThat(secret).isEqualTo(new BuildSecret("token", BuildSecret.Source.FILE, token.toString()));
    }

    @Test
    void aRelativeFileIsTheModulesAndBuildxGetsItAbsolute() throws Exception {
        Files.writeString(dir.resolve("npmrc"), "//registry.npmjs.org/:_authToken=x");

        BuildSecret secret = BuildSecret.of("npmrc", "npmrc", null, dir, ENVIRONMENT);

        assertThat(secret.location()).isEqualTo(dir.resolve("npmrc").toString());
        assertThat(secret.toArgument()).isEqualTo("id=npmrc,src=" + dir.resolve("npmrc"));
    }

    @Test
    void secretWithAnInvalidIdNamesSecrets() {
        InvalidSpecException e = rejected("bad id", null, "NPM_TOKEN");

        assertThat(e.parameter()).contains("secrets");
    }

    @Test
    void secretWithoutLocationNamesSecrets() {
        InvalidSpecException e = rejected("token", null, " ");

        assertThat(e.parameter()).contains("secrets");
        assertThat(e).hasMessage("Build secret 'token' needs a <file> or an <env> to read its value from.");
    }

    @Test
    void secretWithBothAFileAndAnEnvironmentVariableIsRejected() {
        InvalidSpecException e = rejected("token", "token.txt", "NPM_TOKEN");

        assertThat(e.parameter()).contains("secrets");
        assertThat(e).hasMessage("Build secret 'token' needs exactly one of <file> and <env>.");
    }

    @Test
    void anEnvironmentVariableThatIsNotSetIsRejected() {
        InvalidSpecException e = rejected("token", null, "LAYERCACHE_UNSET_VARIABLE");

        assertThat(e)
                .hasMessage("Build secret 'token' reads the environment variable LAYERCACHE_UNSET_VARIABLE,"
                        + " which is not set.");
    }

    @Test
    void anEnvironmentVariableThatIsSetIsPassedByName() throws Exception {
        BuildSecret secret = BuildSecret.of("npm", null, "NPM_TOKEN", dir, ENVIRONMENT);

        assertThat(secret.toArgument()).isEqualTo("id=npm,env=NPM_TOKEN");
    }

    private InvalidSpecException rejected(String id, String file, String env) {
        InvalidSpecException e =
                catchThrowableOfType(InvalidSpecException.class, () -> BuildSecret.of(id, file, env, dir, ENVIRONMENT));
        assertThat(e).as("the secret must be rejected").isNotNull();
        return e;
    }
}
