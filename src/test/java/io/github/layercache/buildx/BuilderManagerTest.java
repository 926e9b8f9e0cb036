package io.github.layercache.buildx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.layercache.core.LayercacheException;
import io.github.layercache.docker.BuildxVersion;
import io.github.layercache.docker.DockerCli;
import io.github.layercache.docker.DockerCommands;
import io.github.layercache.docker.DockerEnvironment;
import io.github.layercache.process.OutputLine;
import io.github.layercache.process.ProcessResult;
import io.github.layercache.process.ProcessSpec;
import io.github.layercache.process.ProcessTimeoutException;
import io.github.layercache.spec.BuilderSpec;
import io.github.layercache.testing.FakeDocker;
import io.github.layercache.testing.RecordingBuildLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BuilderManagerTest {

    private static final String BUILDX_0131 = "github.com/docker/buildx 0.13.1+ds1 0.13.1+ds1-3";
    private static final String BUILDX_0141 = "github.com/docker/buildx v0.14.1 59582f0";
    private static final BuildxVersion V0131 = new BuildxVersion(0, 13, 1);
    private static final BuildxVersion V0141 = new BuildxVersion(0, 14, 1);

    /** Captured offline: {@code docker buildx create --name lc-probe --driver docker-container --bootstrap}. */
    private static final String RESOLVE_FAILURE = "Error response from daemon: failed to resolve reference"
            + " \"docker.io/moby/buildkit:buildx-stable-1\": failed to do request: Head"
            + " \"https://registry-1.docker.io/v2/moby/buildkit/manifests/buildx-stable-1\": dial tcp: lookup"
            + " registry-1.docker.io on 10.255.255.53:53: no such host";

    private static final List<String> OFFLINE_BOOT = List.of(
            "#0 building with \"lc-probe\" instance using docker-container driver",
            "",
            "#1 [internal] booting buildkit",
            "#1 pulling image moby/buildkit:buildx-stable-1",
            "#1 ERROR: " + RESOLVE_FAILURE,
            "------",
            " > [internal] booting buildkit:",
            "------",
            "ERROR: " + RESOLVE_FAILURE);

    private static final AtomicInteger NAMES = new AtomicInteger();

    @TempDir
    Path lockDirectory;

    private final SimulatedBuildx docker = new SimulatedBuildx();
    private final RecordingBuildLog log = new RecordingBuildLog();

    // ---------------------------------------------------------------- version

    @Test
    void versionIsReadFromTheBuildxVersionCommand() throws Exception {
        docker.version(0, BUILDX_0131);

        assertThat(manager().version()).isEqualTo(V0131);
        assertThat(docker.commands()).containsExactly(List.of("docker", "buildx", "version"));
    }

    @Test
    void missingBuildxPluginAsksToInstallIt() {
        docker.version(1, "docker: 'buildx' is not a docker command.");
        String name = uniqueName();

        LayercacheException e = prepareFails(spec(name, "docker-container"));

        assertThat(e)
                .hasMessageContaining("docker buildx plugin is not available for 'docker'")
                .hasMessageContaining("docker: 'buildx' is not a docker command.")
                .hasMessageContaining("Install it")
                .hasMessageContaining("docker-buildx-plugin");
        // What exists is asked first; when that fails, the version says whether buildx is there at all.
        assertThat(docker.commands())
                .containsExactly(List.of("docker", "buildx", "inspect", name), List.of("docker", "buildx", "version"));
    }

    @Test
    void missingBuildxPluginWithDockerHelpHintStillAsksToInstallIt() {
        docker.version(1, "docker: 'buildx' is not a docker command.", "See 'docker --help'");

        LayercacheException e = prepareFails(spec(uniqueName(), "docker-container"));

        assertThat(e)
                .hasMessageContaining("docker buildx plugin is not available")
                .hasMessageContaining("Install it");
        assertThat(docker.commands()).hasSize(2);
    }

    @Test
    void unreadableVersionFails() {
        docker.version(0, "something unexpected");

        LayercacheException e = prepareFails(spec(uniqueName(), "docker-container"));

        assertThat(e).hasMessageContaining("Cannot read the buildx version from: something unexpected");
    }

    @Test
    void dockerThatCannotStartNamesDockerExecutable() {
        IOException cause = new IOException("Cannot run program \"docker\": error=2, No such file or directory");
        docker.failAll(cause);

        LayercacheException e = prepareFails(spec(uniqueName(), "docker-container"));

        assertThat(e.parameter()).contains("dockerExecutable");
        assertThat(e)
                .hasCause(cause)
                .hasMessageContaining("Cannot run 'docker'")
                .hasMessageContaining("error=2, No such file or directory")
                .hasMessageContaining("Install the Docker CLI");
    }

    // ---------------------------------------------------------------- prepare

    @Test
    void existingBuilderIsReusedWithoutCreate() throws Exception {
        String name = uniqueName();
        docker.existing(name, "docker-container");

        BuilderManager.Outcome outcome =
                manager().prepare(spec(name, "docker-container"), DockerEnvironment.inherited());

        assertThat(outcome).isEqualTo(new BuilderManager.Outcome(name, false, null, "docker-container"));
        assertThat(docker.commands()).containsExactly(List.of("docker", "buildx", "inspect", name));
        assertThat(log.infos()).contains("Reusing buildx builder '" + name + "' (driver docker-container)");
        assertThat(log.warnings()).isEmpty();
    }

    @Test
    void existingBuilderIsBootedWhenBootstrapIsAsked() throws Exception {
        String name = uniqueName();
        docker.existing(name, "docker-container");

        BuilderManager.Outcome outcome =
                manager().prepare(bootstrapped(name, "docker-container"), DockerEnvironment.inherited());

        assertThat(outcome.created()).isFalse();
        assertThat(docker.commands())
                .containsExactly(
                        List.of("docker", "buildx", "inspect", name),
                        List.of("docker", "buildx", "inspect", "--bootstrap", name));
        assertThat(log.warnings()).isEmpty();
        assertThat(log.infos()).contains("Reusing buildx builder '" + name + "' (driver docker-container, running)");
    }

    @Test
    void aRunningBuilderIsReusedWithoutBootingAndWithoutTheLogin() throws Exception {
        String name = uniqueName();
        docker.existing(name, "docker-container");
        docker.on(List.of("docker", "buildx", "inspect", name), (spec, out) -> {
            out.accept(OutputLine.Stream.STDOUT, "Name:          " + name);
            out.accept(OutputLine.Stream.STDOUT, "Driver:        docker-container");
            out.accept(OutputLine.Stream.STDOUT, "Nodes:");
            out.accept(OutputLine.Stream.STDOUT, "Name:                  " + name + "0");
            out.accept(OutputLine.Stream.STDOUT, "Status:                running");
            return exit(0);
        });
        AtomicInteger logins = new AtomicInteger();

        BuilderManager.Outcome outcome = manager().prepare(bootstrapped(name, "docker-container"), () -> {
            logins.incrementAndGet();
            return DockerEnvironment.inherited();
        });

        assertThat(outcome).isEqualTo(new BuilderManager.Outcome(name, false, null, "docker-container"));
        assertThat(docker.commandsStartingWith("docker", "buildx", "inspect", "--bootstrap"))
                .isEmpty();
        assertThat(logins).hasValue(0);
        assertThat(log.infos()).contains("Reusing buildx builder '" + name + "' (driver docker-container, running)");
    }

    @Test
    void aStoppedBuilderIsBootedWithTheLogin() throws Exception {
        String name = uniqueName();
        docker.existing(name, "docker-container");
        AtomicInteger logins = new AtomicInteger();

        manager().prepare(bootstrapped(name, "docker-container"), () -> {
            logins.incrementAndGet();
            return new DockerEnvironment(Map.of("DOCKER_CONFIG", "/tmp/lc-login"), Set.of());
        });

        assertThat(logins).hasValue(1);
        assertThat(docker.specs().stream()
                        .filter(s -> s.command().contains("--bootstrap"))
                        .map(s -> s.environment().get("DOCKER_CONFIG")))
                .containsExactly("/tmp/lc-login");
    }

    @Test
    void existingBuilderWithAnotherDriverIsUsedWithAWarning() throws Exception {
        String name = uniqueName();
        docker.existing(name, "docker");

        BuilderManager.Outcome outcome =
                manager().prepare(bootstrapped(name, "docker-container"), DockerEnvironment.inherited());

        assertThat(outcome.created()).isFalse();
        assertThat(docker.commandsStartingWith("docker", "buildx", "create")).isEmpty();
        assertThat(log.warnings())
                .singleElement()
                .asString()
                .contains("Builder '" + name + "' exists with the docker driver, not docker-container")
                .contains("docker buildx rm " + name);
    }

    @Test
    void defaultBuilderOfTheDockerDriverIsReused() throws Exception {
        docker.version(0, BUILDX_0131);
        docker.existing("default", "docker");

        BuilderManager.Outcome outcome =
                manager().prepare(bootstrapped("default", "docker"), DockerEnvironment.inherited());

        assertThat(outcome).isEqualTo(new BuilderManager.Outcome("default", false, null, "docker"));
        assertThat(docker.commandsStartingWith("docker", "buildx", "create")).isEmpty();
        assertThat(log.warnings()).isEmpty();
    }

    @Test
    void existingBuilderThatCannotBootFails() {
        String name = uniqueName();
        docker.existing(name, "docker-container");
        docker.on(List.of("docker", "buildx", "inspect", "--bootstrap", name), (spec, out) -> {
            OFFLINE_BOOT.forEach(line -> out.accept(OutputLine.Stream.STDERR, line));
            return exit(1);
        });

        LayercacheException e = prepareFails(bootstrapped(name, "docker-container"));

        assertThat(e).hasMessageContaining("could not boot").hasMessageContaining(RESOLVE_FAILURE);
        assertThat(e.parameter()).contains("buildkitImage");
        assertThat(docker.commandsStartingWith("docker", "buildx", "create")).isEmpty();
    }

    @Test
    void missingBuilderIsCreated() throws Exception {
        String name = uniqueName();
        BuilderSpec spec = bootstrapped(name, "docker-container");

        BuilderManager.Outcome outcome = manager().prepare(spec, DockerEnvironment.inherited());

        assertThat(outcome).isEqualTo(new BuilderManager.Outcome(name, true, V0141, "docker-container"));
        assertThat(docker.commands())
                .containsExactly(
                        List.of("docker", "buildx", "inspect", name),
                        List.of("docker", "buildx", "version"),
                        createCommand(spec, V0141));
        assertThat(docker.commands().get(2)).containsSequence("--driver-opt", "default-load=true");
        assertThat(log.infos())
                .contains(
                        "buildx 0.14.1: the builder loads images into Docker by default (default-load=true).",
                        "Creating buildx builder '" + name + "' (driver docker-container)",
                        "Created buildx builder '" + name + "'");
    }

    @Test
    void missingBuilderOnBuildx013IsCreatedWithoutDefaultLoad() throws Exception {
        docker.version(0, BUILDX_0131);
        String name = uniqueName();

        BuilderManager.Outcome outcome =
                manager().prepare(spec(name, "docker-container"), DockerEnvironment.inherited());

        assertThat(outcome).isEqualTo(new BuilderManager.Outcome(name, true, V0131, "docker-container"));
        assertThat(docker.commandsStartingWith("docker", "buildx", "create"))
                .containsExactly(List.of("docker", "buildx", "create", "--name", name, "--driver", "docker-container"));
        assertThat(log.infos()).anyMatch(m -> m.contains("buildx 0.13.1 has no default-load (it needs 0.14.0)"));
    }

    @Test
    void bootFailureRemovesTheHalfCreatedBuilderAndExplainsTheBuildkitImage() {
        String name = uniqueName();
        docker.failsToCreate(OFFLINE_BOOT);

        LayercacheException e = prepareFails(bootstrapped(name, "docker-container"));

        assertThat(e.parameter()).contains("buildkitImage");
        assertThat(e)
                .hasMessageStartingWith("The buildx builder '" + name + "' could not boot: " + RESOLVE_FAILURE + ".")
                .hasMessageContaining("moby/buildkit:buildx-stable-1 from Docker Hub")
                .hasMessageContaining("must be pullable from this machine");
        List<List<String>> commands = docker.commands();
        assertThat(commands.get(commands.size() - 1)).containsExactly("docker", "buildx", "rm", name);
        assertThat(docker.commandsStartingWith("docker", "buildx", "create")).hasSize(1);
        assertThat(docker.builders()).doesNotContainKey(name);
        assertThat(log.infos()).contains("Removed the builder '" + name + "' that could not boot");
        // the create output is shown as progress
        assertThat(log.infos()).contains(" > [internal] booting buildkit:");
    }

    @Test
    void bootFailureWithAPrivateBuildkitImageNamesThatImage() {
        String name = uniqueName();
        String image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/buildkit:v0.13.2";
        docker.failsToCreate(List.of("ERROR: failed to pull " + image + ": no basic auth credentials"));
        BuilderSpec spec = new BuilderSpec(name, "docker-container", Map.of(), image, null, List.of(), true, null);

        LayercacheException e = prepareFails(spec);

        assertThat(e.parameter()).contains("buildkitImage");
        assertThat(e)
                .hasMessageContaining("could not boot: failed to pull " + image + ": no basic auth credentials.")
                .hasMessageContaining("runs the BuildKit image " + image + ", which must be pullable")
                .hasMessageNotContaining("Docker Hub");
        assertThat(docker.commandsStartingWith("docker", "buildx", "rm"))
                .containsExactly(List.of("docker", "buildx", "rm", name));
    }

    @Test
    void bootFailureOfARemoteBuilderDoesNotBlameTheBuildkitImage() {
        String name = uniqueName();
        docker.failsToCreate(List.of("ERROR: dial tcp 10.0.0.9:1234: connect: connection refused"));
        BuilderSpec spec =
                new BuilderSpec(name, "remote", Map.of(), null, null, List.of(), true, "tcp://10.0.0.9:1234");

        LayercacheException e = prepareFails(spec);

        assertThat(e.parameter()).isEmpty();
        assertThat(e)
                .hasMessage("The buildx builder '" + name
                        + "' could not boot: dial tcp 10.0.0.9:1234: connect: connection refused.");
        assertThat(docker.commandsStartingWith("docker", "buildx", "rm")).hasSize(1);
    }

    @Test
    void bootFailureIsReportedEvenWhenRemovingTheBuilderCannotRun() {
        String name = uniqueName();
        docker.failsToCreate(OFFLINE_BOOT);
        docker.on(List.of("docker", "buildx", "rm", name), (spec, out) -> {
            throw new IOException("docker vanished");
        });

        LayercacheException e = prepareFails(bootstrapped(name, "docker-container"));

        assertThat(e).hasMessageContaining("could not boot");
        assertThat(e.parameter()).contains("buildkitImage");
        assertThat(log.debugs()).anyMatch(m -> m.startsWith("Could not remove builder " + name));
    }

    @Test
    void bootTimeoutIsABootFailureAndRemovesTheBuilder() {
        String name = uniqueName();
        docker.on(List.of("docker", "buildx", "create"), (spec, out) -> {
            throw new ProcessTimeoutException(spec.displayCommand(), spec.timeout());
        });

        LayercacheException e = prepareFails(bootstrapped(name, "docker-container"));

        assertThat(e).hasMessageContaining("could not boot").hasMessageNotContaining("Install the Docker CLI");
        assertThat(e.parameter()).contains("buildkitImage");
        assertThat(docker.commandsStartingWith("docker", "buildx", "rm"))
                .containsExactly(List.of("docker", "buildx", "rm", name));
    }

    @Test
    void theCommandsThatPullRunWithTheRegistryLoginAndTheirTimeout() {
        String name = uniqueName();
        docker.failsToCreate(OFFLINE_BOOT);

        LayercacheException e = catchThrowableOfType(LayercacheException.class, () -> manager()
                .prepare(
                        bootstrapped(name, "docker-container"),
                        new DockerEnvironment(Map.of("DOCKER_CONFIG", "/tmp/lc-docker-config"), Set.of("s3cret"))));

        assertThat(e).isNotNull().hasMessageContaining("could not boot");
        List<ProcessSpec> specs = docker.specs();
        assertThat(specs).extracting(s -> s.command().get(2)).containsExactly("inspect", "version", "create", "rm");
        // Asking what exists needs no login; creating (which pulls the BuildKit image) and cleaning up do.
        assertThat(specs.subList(0, 2))
                .allSatisfy(s -> assertThat(s.environment()).isEmpty());
        assertThat(specs.subList(2, 4)).allSatisfy(s -> {
            assertThat(s.environment()).containsExactly(Map.entry("DOCKER_CONFIG", "/tmp/lc-docker-config"));
            assertThat(s.redactions()).containsExactly("s3cret");
        });
        assertThat(specs.get(2).timeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(specs.get(0).timeout()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void prepareWithoutLoginAddsNoEnvironment() throws Exception {
        String name = uniqueName();

        manager().prepare(spec(name, "docker-container"), DockerEnvironment.inherited());

        assertThat(docker.specs()).hasSize(3).allSatisfy(s -> {
            assertThat(s.environment()).isEmpty();
            assertThat(s.redactions()).isEmpty();
        });
    }

    @Test
    void missingBuilderOfTheDockerDriverIsAnErrorWithoutCreate() {
        String name = uniqueName();

        LayercacheException e = prepareFails(spec(name, "docker"));

        assertThat(e.parameter()).contains("builder");
        assertThat(e)
                .hasMessageContaining("There is no builder '" + name + "'")
                .hasMessageContaining("docker driver cannot be created");
        assertThat(docker.commandsStartingWith("docker", "buildx", "create")).isEmpty();
        assertThat(docker.commandsStartingWith("docker", "buildx", "rm")).isEmpty();
    }

    @Test
    void aMissingLockDirectoryIsCreated() throws Exception {
        Path missing = lockDirectory.resolve("missing/dir");
        BuilderManager manager = new BuilderManager(new DockerCli("docker", docker.fake, log), log, missing);

        manager.prepare(spec(uniqueName(), "docker-container"), DockerEnvironment.inherited());

        assertThat(missing).isDirectory();
    }

    @Test
    void aLockDirectoryThatCannotExistFailsClearly() throws Exception {
        Path blocked = Files.writeString(lockDirectory.resolve("a-file"), "not a directory")
                .resolve("dir");
        BuilderManager manager = new BuilderManager(new DockerCli("docker", docker.fake, log), log, blocked);
        String name = uniqueName();

        LayercacheException e = catchThrowableOfType(
                LayercacheException.class,
                () -> manager.prepare(spec(name, "docker-container"), DockerEnvironment.inherited()));

        assertThat(e)
                .isNotNull()
                .hasMessageStartingWith("Cannot lock the builder '" + name + "' in " + blocked + ": ")
                .hasMessageEndingWith("Check that this directory is writable.");
        assertThat(docker.commandsStartingWith("docker", "buildx", "create")).isEmpty();
    }

    @Test
    void theLockIsReleasedAfterAFailureSoTheNextPrepareCanCreate() throws Exception {
        String name = uniqueName();
        docker.failsToCreate(OFFLINE_BOOT);
        prepareFails(bootstrapped(name, "docker-container"));

        docker.createsNormally();
        BuilderManager.Outcome outcome =
                manager().prepare(bootstrapped(name, "docker-container"), DockerEnvironment.inherited());

        assertThat(outcome.created()).isTrue();
        assertThat(docker.commandsStartingWith("docker", "buildx", "create")).hasSize(2);
    }

    // ---------------------------------------------------------------- concurrency

    @Test
    void parallelModulesCreateTheBuilderOnce() throws Exception {
        String name = uniqueName();
        docker.createDelay(Duration.ofMillis(200));
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<BuilderManager.Outcome>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                BuilderManager manager =
                        new BuilderManager(new DockerCli("docker", docker.fake, log), log, lockDirectory);
                futures.add(pool.submit(() -> {
                    start.await();
                    return manager.prepare(spec(name, "docker-container"), DockerEnvironment.inherited());
                }));
            }
            start.countDown();
            List<BuilderManager.Outcome> outcomes = new ArrayList<>();
            for (Future<BuilderManager.Outcome> future : futures) {
                outcomes.add(future.get(30, TimeUnit.SECONDS));
            }

            assertThat(docker.commandsStartingWith("docker", "buildx", "create"))
                    .hasSize(1);
            assertThat(outcomes).filteredOn(BuilderManager.Outcome::created).hasSize(1);
            assertThat(outcomes).filteredOn(o -> !o.created()).hasSize(7);
            assertThat(outcomes).allMatch(o -> o.builder().equals(name));
            assertThat(log.infos())
                    .filteredOn(("Reusing buildx builder '" + name + "' (driver docker-container)")::equals)
                    .hasSize(7);
            assertThat(docker.maxConcurrentCreates()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void differentBuildersDoNotBlockEachOther() throws Exception {
        String slow = uniqueName();
        String fast = uniqueName();
        CountDownLatch slowCreating = new CountDownLatch(1);
        CountDownLatch fastDone = new CountDownLatch(1);
        AtomicBoolean fastFinishedWhileSlowHeldItsLock = new AtomicBoolean();
        docker.on(List.of("docker", "buildx", "create", "--name", slow), (spec, out) -> {
            slowCreating.countDown();
            fastFinishedWhileSlowHeldItsLock.set(fastDone.await(20, TimeUnit.SECONDS));
            docker.builders().put(slow, "docker-container");
            return exit(0);
        });
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<BuilderManager.Outcome> slowOutcome =
                    pool.submit(() -> new BuilderManager(new DockerCli("docker", docker.fake, log), log, lockDirectory)
                            .prepare(spec(slow, "docker-container"), DockerEnvironment.inherited()));
            assertThat(slowCreating.await(20, TimeUnit.SECONDS)).isTrue();

            BuilderManager.Outcome fastOutcome =
                    manager().prepare(spec(fast, "docker-container"), DockerEnvironment.inherited());
            fastDone.countDown();

            assertThat(fastOutcome.created()).isTrue();
            assertThat(slowOutcome.get(30, TimeUnit.SECONDS).created()).isTrue();
            assertThat(fastFinishedWhileSlowHeldItsLock).isTrue();
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    // ---------------------------------------------------------------- helpers

    private BuilderManager manager() {
        return new BuilderManager(new DockerCli("docker", docker.fake, log), log, lockDirectory);
    }

    /** The create command line as the manager runs it. */
    private static List<String> createCommand(BuilderSpec spec, BuildxVersion version) {
        return new DockerCli("docker", null, null)
                .commandLine(DockerCommands.createBuilder(spec, version).args());
    }

    private LayercacheException prepareFails(BuilderSpec spec) {
        LayercacheException e = catchThrowableOfType(
                LayercacheException.class, () -> manager().prepare(spec, DockerEnvironment.inherited()));
        assertThat(e).as("prepare must fail").isNotNull();
        return e;
    }

    /** Builder locks are JVM-wide per name: every test uses its own names. */
    private static String uniqueName() {
        return "lc-test-" + ProcessHandle.current().pid() + "-" + NAMES.incrementAndGet();
    }

    private static BuilderSpec spec(String name, String driver) {
        return new BuilderSpec(name, driver, Map.of(), null, null, List.of(), false, null);
    }

    private static BuilderSpec bootstrapped(String name, String driver) {
        return new BuilderSpec(name, driver, Map.of(), null, null, List.of(), true, null);
    }

    private static ProcessResult exit(int code) {
        return new ProcessResult(code, Duration.ofMillis(5));
    }

    @FunctionalInterface
    interface Reply {
        ProcessResult answer(ProcessSpec spec, OutputLine out) throws IOException, InterruptedException;
    }

    /**
     * A small simulated buildx on the shared fake docker CLI: it knows which builders exist, counts
     * concurrent creations, and lets a test override the answer for any command line that starts
     * with given words.
     */
    private static final class SimulatedBuildx {

        private final FakeDocker fake = new FakeDocker();
        private final Map<String, String> builders = new ConcurrentHashMap<>();
        private final AtomicInteger creating = new AtomicInteger();
        private final AtomicInteger maxCreating = new AtomicInteger();
        private volatile List<String> versionLines = List.of(BUILDX_0141);
        private volatile int versionExit;
        private volatile List<String> createFailure;
        private volatile Duration createDelay = Duration.ZERO;

        SimulatedBuildx() {
            fake.on("buildx version", (call, out) -> {
                versionLines.forEach(line -> out.accept(OutputLine.Stream.STDOUT, line));
                return exit(versionExit);
            });
            fake.on("buildx inspect", (call, out) -> inspect(call.last(), out));
            fake.on("buildx create", this::create);
            fake.on("buildx rm", (call, out) -> {
                if (builders.remove(call.last()) == null) {
                    out.accept(OutputLine.Stream.STDERR, "ERROR: no builder \"" + call.last() + "\" found");
                    return exit(1);
                }
                out.accept(OutputLine.Stream.STDERR, call.last() + " removed");
                return exit(0);
            });
        }

        void version(int exit, String... lines) {
            versionExit = exit;
            versionLines = List.of(lines);
        }

        void existing(String name, String driver) {
            builders.put(name, driver);
        }

        void failsToCreate(List<String> output) {
            createFailure = output;
        }

        void createsNormally() {
            createFailure = null;
        }

        void createDelay(Duration delay) {
            createDelay = delay;
        }

        void failAll(IOException e) {
            fake.when(call -> true, FakeDocker.throwing(e));
        }

        void on(List<String> prefix, Reply reply) {
            fake.when(call -> startsWith(call.spec().command(), prefix), (call, out) -> reply.answer(call.spec(), out));
        }

        Map<String, String> builders() {
            return builders;
        }

        List<List<String>> commands() {
            return fake.commands();
        }

        List<ProcessSpec> specs() {
            return fake.specs();
        }

        List<List<String>> commandsStartingWith(String... prefix) {
            return commands().stream()
                    .filter(c -> startsWith(c, List.of(prefix)))
                    .toList();
        }

        int maxConcurrentCreates() {
            return maxCreating.get();
        }

        private ProcessResult inspect(String name, OutputLine out) {
            String driver = builders.get(name);
            if (driver == null) {
                out.accept(OutputLine.Stream.STDERR, "ERROR: no builder \"" + name + "\" found");
                return exit(1);
            }
            out.accept(OutputLine.Stream.STDOUT, "Name:          " + name);
            out.accept(OutputLine.Stream.STDOUT, "Driver:        " + driver);
            out.accept(OutputLine.Stream.STDOUT, "Last Activity: 2025-01-01 00:00:00 +0000 UTC");
            return exit(0);
        }

        private ProcessResult create(FakeDocker.Call call, OutputLine out) throws InterruptedException {
            int now = creating.incrementAndGet();
            maxCreating.accumulateAndGet(now, Math::max);
            try {
                if (!createDelay.isZero()) {
                    Thread.sleep(createDelay.toMillis());
                }
                String name = call.option("--name");
                if (call.option("--driver").equals("docker")) {
                    out.accept(
                            OutputLine.Stream.STDERR,
                            "ERROR: additional instances of driver \"docker\" cannot be created");
                    return exit(1);
                }
                // like buildx: the builder exists even when it cannot boot
                builders.put(name, call.option("--driver"));
                List<String> failure = createFailure;
                if (failure != null) {
                    failure.forEach(line -> out.accept(OutputLine.Stream.STDERR, line));
                    return exit(1);
                }
                out.accept(OutputLine.Stream.STDOUT, name);
                return exit(0);
            } finally {
                creating.decrementAndGet();
            }
        }

        private static boolean startsWith(List<String> list, List<String> prefix) {
            return list.size() >= prefix.size()
                    && list.subList(0, prefix.size()).equals(prefix);
        }
    }
}
