package io.github.layercache.buildx;

import io.github.layercache.core.LayercacheException;
import io.github.layercache.docker.DockerCli;
import io.github.layercache.docker.DockerCli.Echo;
import io.github.layercache.docker.DockerCommands;
import io.github.layercache.docker.DockerEnvironment;
import io.github.layercache.process.CapturedRun;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a buildx builder can do, asked once per builder and Docker endpoint for a whole Maven run:
 * its driver, and for the {@code docker} driver whether the Docker Engine keeps images in the
 * containerd store (without it, that driver cannot export a registry cache).
 */
public final class BuilderProbe {

    /**
     * A builder as buildx reports it.
     *
     * @param classicImageStore the docker driver on an engine with the classic image store (CodeBuild's)
     */
    public record Builder(String name, String driver, boolean classicImageStore) {

        /** The docker driver on a classic image store: it builds, but exports no cache but the inline one. */
        public boolean cannotExportCache() {
            return driver.equals("docker") && classicImageStore;
        }
    }

    /** The answers of one Maven run, shared by its modules; keyed by builder and Docker endpoint. */
    public static final class Answers {
        private final Map<String, Optional<Builder>> known = new ConcurrentHashMap<>();
        private final Set<String> said = ConcurrentHashMap.newKeySet();

        /** What buildx-setup learnt of a builder it prepared: build then need not ask. */
        public void remember(String name, Map<String, String> environment, String driver) {
            known.put(key(name, environment), Optional.of(new Builder(name, driver, false)));
        }

        /** True the first time in the run it is asked about {@code what}: for things the log says once. */
        public boolean firstTime(String what) {
            return said.add(what);
        }
    }

    private final DockerCli docker;
    private final Answers answers;
    private final Map<String, String> environment;

    /** @param environment the variables that choose the Docker endpoint and buildx state */
    public BuilderProbe(DockerCli docker, Answers answers, Map<String, String> environment) {
        this.docker = docker;
        this.answers = answers;
        this.environment = Map.copyOf(environment);
    }

    /** The answers of this Maven run. */
    public Answers answers() {
        return answers;
    }

    /** The builder, or empty when buildx knows no such builder (the build then says so with buildx's words). */
    public Optional<Builder> inspect(String name, DockerEnvironment login)
            throws LayercacheException, InterruptedException {
        String key = key(name, environment);
        Optional<Builder> known = answers.known.get(key);
        if (known != null) {
            return known;
        }
        Optional<Builder> found = ask(name, login);
        answers.known.put(key, found);
        return found;
    }

    private static String key(String name, Map<String, String> environment) {
        return (name == null ? "" : name) + "|" + environment.getOrDefault("DOCKER_HOST", "") + "|"
                + environment.getOrDefault("DOCKER_CONTEXT", "") + "|" + environment.getOrDefault("BUILDX_CONFIG", "");
    }

    private Optional<Builder> ask(String name, DockerEnvironment login)
            throws LayercacheException, InterruptedException {
        CapturedRun inspected = docker.capture(DockerCommands.inspectBuilder(name), login, Echo.DEBUG);
        if (!inspected.succeeded()) {
            return Optional.empty();
        }
        String builder = values(inspected, "Name:").stream().findFirst().orElse(name == null ? "default" : name);
        String driver = values(inspected, "Driver:").stream().findFirst().orElse("unknown");
        boolean classic = false;
        if (driver.equals("docker")) {
            CapturedRun info = docker.capture(DockerCommands.driverStatus(), login, Echo.DEBUG);
            classic = info.succeeded() && !info.output().contains("io.containerd.snapshotter");
        }
        return Optional.of(new Builder(builder, driver, classic));
    }

    /**
     * The values of a field in {@code docker buildx inspect}'s answer, in order: {@code Name:} once,
     * {@code Status:} once per node.
     */
    static List<String> values(CapturedRun inspected, String label) {
        return inspected.lines().stream()
                .filter(l -> l.startsWith(label))
                .map(l -> l.substring(label.length()).trim())
                .toList();
    }
}
