package io.github.layercache.result;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.layercache.buildx.BuildOutcome;
import io.github.layercache.cache.CacheBackend;
import io.github.layercache.cache.CacheProblem;
import io.github.layercache.cache.CacheSpec;
import io.github.layercache.image.BuildResult;
import io.github.layercache.push.PushAttempts;
import io.github.layercache.push.PushOutcome;
import io.github.layercache.push.PushSpec;
import io.github.layercache.registry.ImageReference;
import io.github.layercache.spec.BuildSpec;
import io.github.layercache.testing.JsonMaps;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultFileTest {

    private static final String ECR = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders";
    private static final String DIGEST = "sha256:fd9164660368eb80ea83d9ad08c17bd027f7a5135d6a80d54c53fa39bdb00b34";

    @TempDir
    Path dir;

    @Test
    void aBuildIsWrittenWithEveryFieldInOrder() throws Exception {
        BuildResult built = built(Optional.of(List.of("docker", "buildx", "build", "--build-arg", "NPM_TOKEN=****")));
        Path file = dir.resolve("target/layercache/image.json");

        ResultFile.write(file, built, Optional.empty());

        Map<String, Object> read = JsonMaps.parse(Files.readString(file, StandardCharsets.UTF_8));
        assertThat(read.keySet())
                .containsExactly(
                        "image",
                        "tags",
                        "references",
                        "digest",
                        "cache",
                        "steps",
                        "output",
                        "pulledBytes",
                        "durationSeconds",
                        "goalSeconds",
                        "command");
        assertThat(read)
                .containsEntry("image", ECR)
                .containsEntry("tags", List.of("1.0.0", "latest"))
                .containsEntry("references", List.of(ECR + ":1.0.0", ECR + ":latest"))
                .containsEntry("digest", DIGEST)
                .containsEntry(
                        "cache",
                        Map.of(
                                "from", List.of(ECR + ":buildcache"),
                                "to", List.of(),
                                "problems", List.of("export registry: 401 Unauthorized")))
                .containsEntry("steps", Map.of("cached", 2, "total", 3))
                .containsEntry("output", "load")
                .containsEntry("pulledBytes", 0)
                .containsEntry("durationSeconds", 4.321)
                .containsEntry("goalSeconds", 5.0)
                .containsEntry("command", List.of("docker", "buildx", "build", "--build-arg", "NPM_TOKEN=****"));
    }

    @Test
    void thePushedReferencesHoldTheDigestThenTheReferences() throws Exception {
        PushOutcome pushed = new PushOutcome(pushSpec(List.of("1.0.0", "latest")), DIGEST);
        Path file = dir.resolve("image.json");

        ResultFile.write(file, built(Optional.empty()), Optional.of(pushed));

        Map<String, Object> read = JsonMaps.parse(Files.readString(file, StandardCharsets.UTF_8));
        assertThat(read).doesNotContainKey("command");
        @SuppressWarnings("unchecked")
        Map<String, Object> document = (Map<String, Object>) read.get("pushed");
        assertThat(document.keySet()).containsExactly("digest", "references");
        assertThat(document)
                .isEqualTo(Map.of(
                        "digest", DIGEST, "references", List.of(ECR + "@" + DIGEST, ECR + ":1.0.0", ECR + ":latest")));
    }

    @Test
    void aReusedImageRecordsItsFingerprint() throws Exception {
        BuildSpec spec = spec().withFingerprintTag("fingerprint-" + "b".repeat(48));
        BuildResult reused = new BuildResult(
                BuildOutcome.reused(spec, DIGEST, "b".repeat(64), Duration.ofMillis(100)),
                Duration.ofMillis(120),
                Optional.empty());

        Map<String, Object> read = JsonMaps.parse(
                io.github.layercache.core.JsonDocuments.write(ResultFile.document(reused, Optional.empty())));

        assertThat(read)
                .containsEntry(
                        "fingerprint",
                        Map.of("value", "b".repeat(64), "tag", "fingerprint-" + "b".repeat(48), "reused", true))
                .doesNotContainKeys("command", "pushed");
    }

    private BuildResult built(Optional<List<String>> command) throws Exception {
        BuildOutcome outcome = new BuildOutcome(
                spec(),
                Optional.of(DIGEST),
                2,
                3,
                List.of(
                        new CacheProblem(CacheProblem.Direction.IMPORT, ECR + ":buildcache", "not found"),
                        new CacheProblem(CacheProblem.Direction.EXPORT, "registry", "401 Unauthorized")),
                Duration.ofMillis(4321));
        return new BuildResult(outcome, Duration.ofSeconds(5), command);
    }

    private BuildSpec spec() throws Exception {
        Path context = Files.createDirectories(dir.resolve("ctx"));
        Files.writeString(context.resolve("Dockerfile"), "FROM scratch\n");
        return BuildSpec.builder()
                .timeout(Duration.ofHours(1))
                .provenance("false")
                .contextDirectory(context)
                .image(ImageReference.parse(ECR, "image"))
                .tags(List.of("1.0.0", "latest"))
                .cache(new CacheSpec(List.of(CacheBackend.registry(ECR + ":buildcache")), List.of(), false))
                .metadataFile(dir.resolve("m.json"))
                .build();
    }

    private static PushSpec pushSpec(List<String> tags) throws Exception {
        return new PushSpec(
                ImageReference.parse(ECR, "image"),
                tags,
                DIGEST,
                new PushAttempts(3, Duration.ofSeconds(2), Duration.ofMinutes(10)),
                false);
    }
}
