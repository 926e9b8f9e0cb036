package io.github.layercache.buildx;

import io.github.layercache.core.LayercacheException;
import io.github.layercache.docker.BuildxVersion;
import io.github.layercache.docker.DockerCli;
import io.github.layercache.docker.DockerCli.Echo;
import io.github.layercache.docker.DockerCommands;
import io.github.layercache.docker.DockerEnvironment;
import io.github.layercache.docker.DockerErrors;
import io.github.layercache.log.BuildLog;
import io.github.layercache.process.CapturedRun;
import io.github.layercache.spec.BuilderSpec;
import java.io.IOException;
import java.nio.channels.FileLockInterruptionException;
import java.nio.file.Path;
import java.util.List;

/**
 * Creates or reuses a named buildx builder. It never changes the user's default builder (no
 * {@code --use}): builds name the builder with {@code --builder}.
 */
public final class BuilderManager {

    private final DockerCli docker;
    private final BuildLog log;
    private final Path lockDirectory;

    public BuilderManager(DockerCli docker, BuildLog log, Path lockDirectory) {
        this.docker = docker;
        this.log = log;
        this.lockDirectory = lockDirectory;
    }

    /**
     * What {@link #prepare} did, and the builder's driver.
     *
     * @param version the buildx version, asked only to create a builder (null when one was reused)
     */
    public record Outcome(String builder, boolean created, BuildxVersion version, String driver) {}

    /** The registry login for pulling the BuildKit image, opened only when a builder is created or booted. */
    @FunctionalInterface
    public interface Login {
        DockerEnvironment environment() throws LayercacheException;
    }

    /**
     * Makes sure the builder exists (and runs, when {@code bootstrap}); creates it at most once, with registry
     * credentials for pulling the BuildKit image.
     *
     * @param login the goal's docker environment (e.g. {@code DOCKER_CONFIG}); never on the command line
     */
    public Outcome prepare(BuilderSpec spec, DockerEnvironment login) throws LayercacheException, InterruptedException {
        return prepare(spec, () -> login);
    }

    /**
     * As {@link #prepare(BuilderSpec, DockerEnvironment)}; the login is asked for only when the builder must be created
     * or booted, so that reusing a running builder costs two quick commands and no registry login.
     */
    public Outcome prepare(BuilderSpec spec, Login login) throws LayercacheException, InterruptedException {
        BuilderLocks.Held lock = lock(spec.name());
        try {
            CapturedRun existing = docker.capture(
                    DockerCommands.inspectBuilder(spec.name()), DockerEnvironment.inherited(), Echo.DEBUG);
            if (existing.succeeded()) {
                return new Outcome(spec.name(), false, null, reuse(spec, existing, login));
            }
            // Not there, or no buildx at all: the version says which, and the create command depends on it.
            BuildxVersion version = version(DockerEnvironment.inherited());
            if (spec.driver().equals("docker")) {
                throw new LayercacheException(
                        "There is no builder '" + spec.name() + "'. The docker driver cannot be created: there is one"
                                + " such builder per Docker context, named after it ('default' for the default"
                                + " context). Name the context's builder, or use the docker-container driver.",
                        "builder");
            }
            create(spec, version, login.environment());
            return new Outcome(spec.name(), true, version, spec.driver());
        } finally {
            lock.release();
        }
    }

    private BuilderLocks.Held lock(String builder) throws LayercacheException, InterruptedException {
        try {
            return BuilderLocks.acquire(builder, lockDirectory);
        } catch (FileLockInterruptionException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedException("interrupted while waiting for the builder '" + builder + "'");
        } catch (IOException e) {
            throw new LayercacheException("Cannot lock the builder '" + builder + "' in " + lockDirectory + ": "
                    + e.getMessage() + ". Check that this directory is writable.");
        }
    }

    /** The buildx plugin's version; fails clearly when docker or buildx is missing. */
    public BuildxVersion version() throws LayercacheException, InterruptedException {
        return version(DockerEnvironment.inherited());
    }

    private BuildxVersion version(DockerEnvironment login) throws LayercacheException, InterruptedException {
        CapturedRun run = docker.capture(DockerCommands.buildxVersion(), login, Echo.DEBUG);
        if (!run.succeeded()) {
            throw DockerErrors.buildxUnavailable(docker.executable(), run);
        }
        return BuildxVersion.parse(run.output())
                .orElseThrow(() -> new LayercacheException("Cannot read the buildx version from: " + run.output()));
    }

    private void create(BuilderSpec spec, BuildxVersion version, DockerEnvironment login)
            throws LayercacheException, InterruptedException {
        if (spec.driver().equals("docker-container")) {
            log.info(
                    version.atLeast(BuildxVersion.DEFAULT_LOAD)
                            ? "buildx " + version
                                    + ": the builder loads images into Docker by default (default-load=true)."
                            : "buildx " + version + " has no default-load (it needs " + BuildxVersion.DEFAULT_LOAD
                                    + "): builds load their image with --load.");
        }
        log.info("Creating buildx builder '" + spec.name() + "' (driver " + spec.driver() + ")");
        CapturedRun run = docker.capture(DockerCommands.createBuilder(spec, version), login, Echo.INFO);
        if (run.succeeded()) {
            log.info("Created buildx builder '" + spec.name() + "'");
            return;
        }
        removeQuietly(spec.name(), login);
        throw DockerErrors.builderBootFailure(spec, run);
    }

    /** Uses the existing builder, booting it first when asked and it is not running; returns its driver. */
    private String reuse(BuilderSpec spec, CapturedRun inspected, Login login)
            throws LayercacheException, InterruptedException {
        String driver =
                BuilderProbe.values(inspected, "Driver:").stream().findFirst().orElse(spec.driver());
        if (!driver.equals(spec.driver())) {
            log.warn("Builder '" + spec.name() + "' exists with the " + driver + " driver, not " + spec.driver()
                    + ": it is used as it is. Remove it (docker buildx rm " + spec.name() + ") to recreate it.");
        }
        if (spec.bootstrap() && !running(inspected)) {
            CapturedRun run = docker.capture(DockerCommands.bootBuilder(spec.name()), login.environment(), Echo.DEBUG);
            if (!run.succeeded()) {
                throw DockerErrors.builderBootFailure(spec, run);
            }
        }
        log.info("Reusing buildx builder '" + spec.name() + "' (driver " + driver
                + (spec.bootstrap() ? ", running)" : ")"));
        return driver;
    }

    /** Every node of the builder reports {@code Status: running}: booting it again would change nothing. */
    private static boolean running(CapturedRun inspected) {
        List<String> statuses = BuilderProbe.values(inspected, "Status:");
        return !statuses.isEmpty() && statuses.stream().allMatch("running"::equals);
    }

    private void removeQuietly(String name, DockerEnvironment login) throws InterruptedException {
        try {
            if (docker.capture(DockerCommands.removeBuilder(name), login, Echo.DEBUG)
                    .succeeded()) {
                log.info("Removed the builder '" + name + "' that could not boot");
            }
        } catch (LayercacheException e) {
            log.debug("Could not remove builder " + name + ": " + e.getMessage());
        }
    }
}
