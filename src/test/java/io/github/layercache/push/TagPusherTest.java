package io.github.layercache.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.layercache.core.LayercacheException;
import io.github.layercache.docker.DockerCli;
import io.github.layercache.docker.DockerEnvironment;
import io.github.layercache.process.OutputLine;
import io.github.layercache.process.ProcessResult;
import io.github.layercache.process.ProcessSpec;
import io.github.layercache.process.ProcessTimeoutException;
import io.github.layercache.registry.ImageReference;
import io.github.layercache.registry.ManifestTagger;
import io.github.layercache.testing.FakeDocker;
import io.github.layercache.testing.FakeDocker.Reply;
import io.github.layercache.testing.RecordingBuildLog;
import io.github.layercache.testing.RegistryAnswers;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TagPusherTest {

    private static final String DIGEST = "sha256:fd9164660368eb80ea83d9ad08c17bd027f7a5135d6a80d54c53fa39bdb00b34";
    private static final String OTHER_DIGEST =
            "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private static final String REPO = "127.0.0.1:5501/probe";

    private static final String NO_CREDENTIALS = "push access denied, repository does not exist or may require"
            + " authorization: authorization failed: no basic auth credentials";
    private static final String REGISTRY_DOWN = "failed to do request: Head"
            + " \"https://127.0.0.1:1/v2/probe/blobs/sha256:eaac1b1c5c31\": dial tcp 127.0.0.1:1: connect:"
            + " connection refused";
    private static final String IMMUTABLE = "tag invalid: The image tag '1.0.0' already exists in the 'orders'"
            + " repository and cannot be overwritten because the repository is immutable.";

    private final SimulatedDocker docker = new SimulatedDocker();
    private final RecordingBuildLog log = new RecordingBuildLog();
    private final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());
    private final TagPusher pusher = new TagPusher(new DockerCli("docker", docker.fake, log), log, sleeps::add, null);

    // ---------------------------------------------------------------- success

    @Test
    void pushesEveryTagInOrderThenReadsTheDigestsBack() throws Exception {
        docker.local(REPO + ":1", DIGEST).local(REPO + ":latest", DIGEST);
        PushSpec spec = spec(List.of("1", "latest"), 3);

        PushOutcome outcome = pusher.push(
                spec, new DockerEnvironment(Map.of("DOCKER_CONFIG", "/tmp/docker-config"), Set.of("hunter2")));

        assertThat(docker.commands())
                .containsExactly(
                        List.of("docker", "image", "inspect", "--format", "{{.Id}}", REPO + ":1"),
                        List.of("docker", "image", "inspect", "--format", "{{.Id}}", REPO + ":latest"),
                        List.of("docker", "push", REPO + ":1"),
                        List.of("docker", "push", REPO + ":latest"),
                        List.of(
                                "docker",
                                "buildx",
                                "imagetools",
                                "inspect",
                                REPO + ":1",
                                "--format",
                                "{{json .Manifest}}"),
                        List.of(
                                "docker",
                                "buildx",
                                "imagetools",
                                "inspect",
                                REPO + ":latest",
                                "--format",
                                "{{json .Manifest}}"));
        assertThat(outcome.digest()).isEqualTo(DIGEST);
        assertThat(outcome.spec()).isSameAs(spec);
        assertThat(outcome.references()).containsExactly(REPO + "@" + DIGEST, REPO + ":1", REPO + ":latest");
        assertThat(sleeps).isEmpty();
        assertThat(log.warnings()).isEmpty();
        assertThat(log.infos()).contains("Pushed " + REPO + ":1, " + REPO + ":latest (" + DIGEST + ")");
    }

    @Test
    void everyCommandGetsTheEnvironmentAndRedactionsAndPushGetsItsTimeout() throws Exception {
        docker.local(REPO + ":1", DIGEST);
        PushSpec spec = spec(List.of("1"), 3);

        pusher.push(spec, new DockerEnvironment(Map.of("DOCKER_CONFIG", "/tmp/docker-config"), Set.of("hunter2")));

        assertThat(docker.specs()).hasSize(3).allSatisfy(s -> {
            assertThat(s.environment()).containsExactly(Map.entry("DOCKER_CONFIG", "/tmp/docker-config"));
            assertThat(s.redactions()).containsExactly("hunter2");
        });
        assertThat(docker.specs().get(1).command()).containsExactly("docker", "push", REPO + ":1");
        assertThat(docker.specs().get(1).timeout()).isEqualTo(spec.tries().timeout());
    }

    @Test
    void pushOutputIsShownAtInfo() throws Exception {
        docker.local(REPO + ":1", DIGEST);

        pusher.push(spec(List.of("1"), 3), DockerEnvironment.inherited());

        assertThat(log.infos()).containsSubsequence(SimulatedDocker.pushOutput("1", DIGEST));
    }

    // ---------------------------------------------------------------- local image checks

    @Test
    void missingLocalImageFailsBeforeAnyPush() {
        docker.local(REPO + ":1", DIGEST);

        LayercacheException e = pushFails(spec(List.of("1", "latest"), 3));

        assertThat(e)
                .isNotInstanceOf(PushRejectedException.class)
                .hasMessageStartingWith("The image " + REPO + ":latest is not in the local image store (")
                .hasMessageContaining("Error: No such image: " + REPO + ":latest")
                .hasMessageContaining("keep load on");
        assertThat(docker.pushes()).isEmpty();
    }

    @Test
    void tagsNamingDifferentLocalImagesPushNothing() {
        docker.local(REPO + ":1", DIGEST).local(REPO + ":latest", OTHER_DIGEST);

        LayercacheException e = pushFails(spec(List.of("1", "latest"), 3));

        assertThat(e)
                .hasMessageContaining("The tags of " + REPO + " name different local images")
                .hasMessageContaining(DIGEST)
                .hasMessageContaining(OTHER_DIGEST)
                .hasMessageEndingWith("Nothing was pushed.");
        assertThat(docker.pushes()).isEmpty();
    }

    @Test
    void localIdOtherThanTheBuildDigestIsOnlyNoted() throws Exception {
        // the classic image store gives the config digest as the Id, not the pushed manifest digest
        docker.local(REPO + ":1", OTHER_DIGEST);

        PushOutcome outcome = pusher.push(spec(List.of("1"), 3), DockerEnvironment.inherited());

        assertThat(outcome.digest()).isEqualTo(DIGEST);
        assertThat(log.warnings()).isEmpty();
        assertThat(log.debugs()).anyMatch(m -> m.startsWith("Local image id " + OTHER_DIGEST + " differs"));
    }

    // ---------------------------------------------------------------- retries

    @Test
    void transientFailuresAreRetriedWithADoublingDelay() throws Exception {
        docker.local(REPO + ":1", DIGEST);
        docker.pushReplies(REPO + ":1", fails(REGISTRY_DOWN), fails(REGISTRY_DOWN), succeeds());

        PushOutcome outcome = pusher.push(spec(List.of("1"), 3), DockerEnvironment.inherited());

        assertThat(outcome.digest()).isEqualTo(DIGEST);
        assertThat(docker.pushes()).hasSize(3);
        assertThat(sleeps).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(4));
        assertThat(log.warnings())
                .containsExactly(
                        "Pushing " + REPO + ":1 failed (" + REGISTRY_DOWN + "); retrying in 2 s (attempt 2 of 3)",
                        "Pushing " + REPO + ":1 failed (" + REGISTRY_DOWN + "); retrying in 4 s (attempt 3 of 3)");
    }

    @Test
    void transientFailureThatLastsGivesUpAfterAllAttempts() {
        docker.local(REPO + ":1", DIGEST);
        docker.pushReplies(REPO + ":1", fails(REGISTRY_DOWN), fails(REGISTRY_DOWN), fails(REGISTRY_DOWN));

        LayercacheException e = pushFails(spec(List.of("1"), 3));

        assertThat(e)
                .isNotInstanceOf(PushRejectedException.class)
                .hasMessage(
                        "Could not push " + REPO + ":1 after 3 attempts: " + REGISTRY_DOWN + ". Nothing was pushed.");
        assertThat(e.parameter()).contains("pushRetries");
        assertThat(sleeps).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(4));
        assertThat(docker.pushes()).hasSize(3);
        assertThat(docker.imagetools()).isEmpty();
    }

    @Test
    void aSingleAttemptDoesNotSleep() {
        docker.local(REPO + ":1", DIGEST);
        docker.pushReplies(REPO + ":1", fails(REGISTRY_DOWN));

        LayercacheException e = pushFails(spec(List.of("1"), 1));

        assertThat(e).hasMessageStartingWith("Could not push " + REPO + ":1 after 1 attempt: ");
        assertThat(e.parameter()).contains("pushRetries");
        assertThat(sleeps).isEmpty();
        assertThat(log.warnings()).isEmpty();
        assertThat(docker.pushes()).hasSize(1);
    }

    @Test
    void giveUpOnTheSecondTagNamesWhatWasAlreadyPushed() {
        docker.local(REPO + ":1", DIGEST).local(REPO + ":latest", DIGEST);
        docker.pushReplies(REPO + ":latest", fails(REGISTRY_DOWN), fails(REGISTRY_DOWN));

        LayercacheException e = pushFails(spec(List.of("1", "latest"), 2));

        assertThat(e)
                .hasMessageStartingWith("Could not push " + REPO + ":latest after 2 attempts")
                .hasMessageEndingWith("Already pushed: " + REPO + ":1.");
        assertThat(sleeps).containsExactly(Duration.ofSeconds(2));
    }

    @Test
    void aPushTimeoutIsTransientAndRetried() throws Exception {
        docker.local(REPO + ":1", DIGEST);
        docker.pushReplies(
                REPO + ":1",
                (call, out) -> {
                    throw new ProcessTimeoutException(
                            call.spec().displayCommand(), call.spec().timeout());
                },
                succeeds());

        PushOutcome outcome = pusher.push(spec(List.of("1"), 3), DockerEnvironment.inherited());

        assertThat(outcome.digest()).isEqualTo(DIGEST);
        assertThat(docker.pushes()).hasSize(2);
        assertThat(sleeps).containsExactly(Duration.ofSeconds(2));
        assertThat(log.warnings())
                .singleElement()
                .asString()
                .contains("'docker push " + REPO + ":1' did not finish within 600 s and was stopped")
                .contains("retrying in 2 s (attempt 2 of 3)");
    }

    @Test
    void dockerThatCannotStartDuringThePushNamesDockerExecutable() {
        docker.local(REPO + ":1", DIGEST);
        IOException cause = new IOException("error=2, No such file or directory");
        docker.pushReplies(REPO + ":1", (spec, out) -> {
            throw cause;
        });

        LayercacheException e = pushFails(spec(List.of("1"), 3));

        assertThat(e.parameter()).contains("dockerExecutable");
        assertThat(e).hasCause(cause).hasMessageContaining("Cannot run 'docker'");
        assertThat(sleeps).isEmpty();
    }

    // ---------------------------------------------------------------- refusals

    @Test
    void missingCredentialsAreRefusedAtOnce() {
        docker.local(REPO + ":1", DIGEST);
        docker.pushReplies(REPO + ":1", fails(NO_CREDENTIALS));

        PushRejectedException e = catchThrowableOfType(
                PushRejectedException.class, () -> pusher.push(spec(List.of("1"), 3), DockerEnvironment.inherited()));

        assertThat(e).isNotNull();
        assertThat(e)
                .hasMessageStartingWith("The registry refused " + REPO + ":1: " + NO_CREDENTIALS + ".")
                .hasMessageContaining("Check the credentials for this registry")
                .hasMessageEndingWith("Nothing was pushed.");
        assertThat(sleeps).isEmpty();
        assertThat(docker.pushes()).hasSize(1);
        assertThat(docker.imagetools()).isEmpty();
    }

    @Test
    void immutableTagRefusedOnTheSecondTagNamesItAndWhatWasPushed() {
        String first = REPO + ":first";
        String release = REPO + ":1.0.0";
        docker.local(first, DIGEST).local(release, DIGEST);
        docker.pushReplies(release, fails(IMMUTABLE));

        PushRejectedException e = catchThrowableOfType(
                PushRejectedException.class,
                () -> pusher.push(spec(List.of("first", "1.0.0"), 3), DockerEnvironment.inherited()));

        assertThat(e).isNotNull();
        assertThat(e)
                .hasMessageStartingWith("The registry refused " + release + ": " + IMMUTABLE)
                .hasMessageContaining("immutable tags")
                .hasMessageEndingWith("Already pushed: " + first + ".");
        assertThat(docker.pushes())
                .containsExactly(List.of("docker", "push", first), List.of("docker", "push", release));
        assertThat(sleeps).isEmpty();
    }

    @Test
    void refusalAfterATransientFailureStopsRetrying() {
        docker.local(REPO + ":1", DIGEST);
        docker.pushReplies(REPO + ":1", fails(REGISTRY_DOWN), fails(NO_CREDENTIALS), succeeds());

        PushRejectedException e = catchThrowableOfType(
                PushRejectedException.class, () -> pusher.push(spec(List.of("1"), 5), DockerEnvironment.inherited()));

        assertThat(e).isNotNull();
        assertThat(docker.pushes()).hasSize(2);
        assertThat(sleeps).containsExactly(Duration.ofSeconds(2));
    }

    // ---------------------------------------------------------------- registry digest

    @Test
    void registryDigestOtherThanTheBuildDigestIsRecordedWithAWarning() throws Exception {
        docker.local(REPO + ":1", DIGEST).serves(OTHER_DIGEST);

        PushOutcome outcome = pusher.push(spec(List.of("1"), 3), DockerEnvironment.inherited());

        assertThat(outcome.digest()).isEqualTo(OTHER_DIGEST);
        assertThat(outcome.references()).first().isEqualTo(REPO + "@" + OTHER_DIGEST);
        assertThat(log.warnings())
                .singleElement()
                .asString()
                .startsWith("The registry serves " + OTHER_DIGEST + " for " + REPO + ", while the build recorded "
                        + DIGEST);
    }

    @Test
    void tagsWhoseRegistryDigestsDifferFail() {
        docker.local(REPO + ":1", DIGEST).local(REPO + ":latest", DIGEST);
        docker.registry.put(REPO + ":1", DIGEST);
        docker.pushDoesNotUpdateRegistry();
        docker.registry.put(REPO + ":latest", OTHER_DIGEST);

        LayercacheException e = pushFails(spec(List.of("1", "latest"), 3));

        assertThat(e)
                .hasMessageContaining("After the push the tags of " + REPO + " name different digests")
                .hasMessageContaining(DIGEST)
                .hasMessageContaining(OTHER_DIGEST)
                .hasMessageContaining("another build pushed at the same time");
        assertThat(docker.pushes()).hasSize(2);
    }

    @Test
    void unreadableRegistryAnswerFails() {
        docker.local(REPO + ":1", DIGEST);
        docker.pushDoesNotUpdateRegistry();

        LayercacheException e = pushFails(spec(List.of("1"), 3));

        assertThat(e)
                .hasMessageStartingWith("Pushed " + REPO + ":1 but cannot read it back from the registry: ")
                .hasMessageContaining("not found");
    }

    // ---------------------------------------------------------------- interrupt

    @Test
    void interruptDuringTheWaitPropagates() throws Exception {
        docker.local(REPO + ":1", DIGEST);
        docker.pushReplies(REPO + ":1", fails(REGISTRY_DOWN), succeeds());
        TagPusher interrupted = new TagPusher(
                new DockerCli("docker", docker.fake, log),
                log,
                duration -> {
                    sleeps.add(duration);
                    throw new InterruptedException("stop");
                },
                null);

        InterruptedException e = catchThrowableOfType(
                InterruptedException.class,
                () -> interrupted.push(spec(List.of("1"), 3), DockerEnvironment.inherited()));

        assertThat(e).isNotNull().hasMessage("stop");
        assertThat(docker.pushes()).hasSize(1);
        assertThat(sleeps).containsExactly(Duration.ofSeconds(2));
    }

    @Test
    void interruptingTheRealWaitStopsThePush() throws Exception {
        docker.local(REPO + ":1", DIGEST);
        docker.pushReplies(REPO + ":1", fails(REGISTRY_DOWN), succeeds());
        TagPusher realSleeper = new TagPusher(new DockerCli("docker", docker.fake, log), log, (ManifestTagger) null);
        PushSpec spec = new PushSpec(
                ImageReference.parse(REPO, "image"),
                List.of("1"),
                DIGEST,
                new PushAttempts(3, Duration.ofHours(1), Duration.ofMinutes(10)),
                false);
        AtomicReference<Object> result = new AtomicReference<>();
        Thread pushing = new Thread(
                () -> {
                    try {
                        result.set(realSleeper.push(spec, DockerEnvironment.inherited()));
                    } catch (Throwable t) {
                        result.set(t);
                    }
                },
                "push-under-test");

        pushing.start();
        assertThat(log.awaitWarning(Duration.ofSeconds(20))).isTrue();
        pushing.interrupt();
        pushing.join(TimeUnit.SECONDS.toMillis(20));

        assertThat(pushing.isAlive()).isFalse();
        assertThat(result.get()).isInstanceOf(InterruptedException.class);
        assertThat(docker.pushes()).hasSize(1);
    }

    // ---------------------------------------------------------------- helpers

    private LayercacheException pushFails(PushSpec spec) {
        LayercacheException e =
                catchThrowableOfType(LayercacheException.class, () -> pusher.push(spec, DockerEnvironment.inherited()));
        assertThat(e).as("push must fail").isNotNull();
        return e;
    }

    private static PushSpec spec(List<String> tags, int attempts) {
        try {
            return new PushSpec(
                    ImageReference.parse(REPO, "image"),
                    tags,
                    DIGEST,
                    new PushAttempts(attempts, Duration.ofSeconds(2), Duration.ofMinutes(10)),
                    false);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Reply fails(String lastLine) {
        return (call, out) -> {
            String ref = call.last();
            out.accept(
                    OutputLine.Stream.STDOUT, "The push refers to repository [" + ref.replaceAll(":[^:/]+$", "") + "]");
            out.accept(OutputLine.Stream.STDOUT, "eaac1b1c5c31: Preparing");
            out.accept(OutputLine.Stream.STDERR, lastLine);
            return FakeDocker.exit(1);
        };
    }

    private static Reply succeeds() {
        return null;
    }

    /**
     * A local image store and a registry that a successful push fills, simulated on the shared fake
     * docker CLI, with scripted answers for {@code docker push} per reference (a null answer is a
     * normal push).
     */
    private static final class SimulatedDocker {

        final FakeDocker fake = new FakeDocker();
        final Map<String, String> localIds = new HashMap<>();
        final Map<String, String> registry = new ConcurrentHashMap<>();
        private final Map<String, Deque<Optional<Reply>>> pushReplies = new HashMap<>();
        private volatile String served = DIGEST;
        private volatile boolean pushUpdatesRegistry = true;

        SimulatedDocker() {
            fake.on("image inspect", (call, out) -> {
                String id = localIds.get(call.last());
                if (id == null) {
                    out.accept(OutputLine.Stream.STDERR, "Error: No such image: " + call.last());
                    return FakeDocker.exit(1);
                }
                out.accept(OutputLine.Stream.STDOUT, id);
                return FakeDocker.exit(0);
            });
            fake.on("push", this::push);
            fake.on("buildx imagetools inspect", (call, out) -> {
                String ref = call.args().get(3);
                assertThat(call.option("--format")).isEqualTo("{{json .Manifest}}");
                String digest = registry.get(ref);
                if (digest == null) {
                    out.accept(OutputLine.Stream.STDERR, "ERROR: " + ref + ": not found");
                    return FakeDocker.exit(1);
                }
                RegistryAnswers.IMAGETOOLS_INDEX
                        .formatted(digest)
                        .lines()
                        .forEach(line -> out.accept(OutputLine.Stream.STDOUT, line));
                return FakeDocker.exit(0);
            });
        }

        SimulatedDocker local(String ref, String id) {
            localIds.put(ref, id);
            return this;
        }

        SimulatedDocker serves(String digest) {
            served = digest;
            return this;
        }

        void pushDoesNotUpdateRegistry() {
            pushUpdatesRegistry = false;
        }

        synchronized void pushReplies(String ref, Reply... replies) {
            Deque<Optional<Reply>> queue = pushReplies.computeIfAbsent(ref, r -> new ArrayDeque<>());
            for (Reply reply : replies) {
                queue.add(Optional.ofNullable(reply));
            }
        }

        /** Answers the next command for which {@code condition} holds with {@code reply}. */
        void when(java.util.function.Predicate<FakeDocker.Call> condition, Reply reply) {
            fake.when(condition, reply);
        }

        List<ProcessSpec> specs() {
            return fake.specs();
        }

        List<List<String>> commands() {
            return fake.commands();
        }

        List<List<String>> pushes() {
            return fake.calls("push").stream().map(c -> c.spec().command()).toList();
        }

        List<List<String>> imagetools() {
            return fake.calls("buildx imagetools").stream()
                    .map(c -> c.spec().command())
                    .toList();
        }

        static List<String> pushOutput(String tag, String digest) {
            return List.of(
                    "The push refers to repository [" + REPO + "]",
                    "eaac1b1c5c31: Pushed",
                    "c2bd4b1e6d3c: Pushed",
                    tag + ": digest: " + digest + " size: 855");
        }

        private ProcessResult push(FakeDocker.Call call, OutputLine out) throws IOException, InterruptedException {
            String ref = call.last();
            Optional<Reply> scripted;
            synchronized (this) {
                Deque<Optional<Reply>> queue = pushReplies.get(ref);
                scripted = queue == null || queue.isEmpty() ? Optional.empty() : queue.poll();
            }
            if (scripted.isPresent()) {
                return scripted.get().answer(call, out);
            }
            String tag = ref.substring(ref.lastIndexOf(':') + 1);
            pushOutput(tag, served).forEach(line -> out.accept(OutputLine.Stream.STDOUT, line));
            if (pushUpdatesRegistry) {
                registry.put(ref, served);
            }
            return FakeDocker.exit(0);
        }
    }
}
