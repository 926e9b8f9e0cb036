package io.github.layercache.spec;

import io.github.layercache.core.InvalidSpecException;
import io.github.layercache.core.Text;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A build secret passed with {@code --secret}: its value comes from a file or an environment
 * variable and never appears on the command line. Made by {@link #of}, which checks it.
 */
public record BuildSecret(String id, Source source, String location) {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]+");

    public enum Source {
        FILE,
        ENV
    }

    /**
     * A secret as the user configured it, checked once: a valid id, exactly one of a file (relative
     * to the module, as everywhere in Maven) and an environment variable, and that the one exists.
     *
     * @param file the file holding the value, or null
     * @param env the environment variable holding the value, or null
     * @param environment the variables the build runs with
     */
    public static BuildSecret of(
            String id, String file, String env, Path moduleDirectory, Map<String, String> environment)
            throws InvalidSpecException {
        if (id == null || !ID.matcher(id).matches()) {
            throw new InvalidSpecException(
                    "secrets", "A build secret needs an <id> of letters, digits, '.', '_' or '-'; got '" + id + "'.");
        }
        boolean hasFile = Text.isSet(file);
        boolean hasEnv = Text.isSet(env);
        if (hasFile == hasEnv) {
            throw new InvalidSpecException(
                    "secrets",
                    hasFile
                            ? "Build secret '" + id + "' needs exactly one of <file> and <env>."
                            : "Build secret '" + id + "' needs a <file> or an <env> to read its value from.");
        }
        if (hasEnv) {
            if (environment.get(env.strip()) == null) {
                throw new InvalidSpecException(
                        "secrets",
                        "Build secret '" + id + "' reads the environment variable " + env.strip()
                                + ", which is not set.");
            }
            return new BuildSecret(id, Source.ENV, env.strip());
        }
        Path path = moduleDirectory.resolve(file.strip()).toAbsolutePath().normalize();
        if (!Files.isRegularFile(path)) {
            throw new InvalidSpecException("secrets", "Build secret '" + id + "': file " + path + " does not exist.");
        }
        return new BuildSecret(id, Source.FILE, path.toString());
    }

    public String toArgument() {
        return "id=" + id + (source == Source.FILE ? ",src=" : ",env=") + location;
    }
}
