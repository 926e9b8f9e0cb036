package io.github.layercache.maven;

import io.github.layercache.auth.RegistryLogin;
import io.github.layercache.core.InvalidSpecException;
import io.github.layercache.core.LayercacheException;
import io.github.layercache.json.Json;
import io.github.layercache.log.BuildLog;
import io.github.layercache.process.LocalProcessRunner;
import io.github.layercache.push.ImagePusher;
import io.github.layercache.push.PushOutcome;
import io.github.layercache.push.PushSpec;
import io.github.layercache.spec.ImageReference;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Publishes every tag of the image that {@code build} made in this Maven run: the same image,
 * never a rebuild. Adds the pushed references to the result file.
 */
@Mojo(name = "push", defaultPhase = LifecyclePhase.DEPLOY, threadSafe = true)
public class PushMojo extends AbstractLayercacheMojo {

    /**
     * Skips this goal only.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.SKIP_PUSH, defaultValue = "false")
    private boolean skipPush;

    /**
     * How many times a push that failed for a transient reason (network, registry errors) is retried.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.PUSH_RETRIES, defaultValue = "3")
    private int pushRetries;

    /**
     * The wait before the first retry; it doubles with each further retry.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.PUSH_RETRY_DELAY_SECONDS, defaultValue = "2")
    private int pushRetryDelaySeconds;

    /**
     * How long one tag's push may take.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.PUSH_TIMEOUT_SECONDS, defaultValue = "1800")
    private int pushTimeoutSeconds;

    /**
     * The build result that {@code build} wrote; the pushed references are added to it.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.RESULT_FILE, defaultValue = "${project.build.directory}/layercache/image.json")
    private File resultFile;

    @Override
    protected void run(BuildLog log) throws LayercacheException, InterruptedException {
        if (skipPush) {
            log.info("Skipping the push (" + PropertyNames.SKIP_PUSH + "=true)");
            return;
        }
        Properties built = project.getProperties();
        String digest = built.getProperty(PropertyNames.RESULT_DIGEST);
        if (digest == null) {
            if (resultFile.isFile()) {
                throw new LayercacheException("No image was built for " + project.getArtifactId() + " in this Maven run"
                        + " (" + resultFile + " is from an earlier one). push publishes what build made in the same"
                        + " run: run both, e.g. mvn deploy.");
            }
            log.info("Nothing to push: no image was built for " + project.getArtifactId() + " in this run.");
            return;
        }
        if (pushRetries < 0 || pushRetryDelaySeconds < 0 || pushTimeoutSeconds <= 0) {
            throw new InvalidSpecException(
                    pushRetries < 0
                            ? "pushRetries"
                            : pushRetryDelaySeconds < 0 ? "pushRetryDelaySeconds" : "pushTimeoutSeconds",
                    "Push retries and delays cannot be negative, and the push timeout must be positive.");
        }
        boolean inRegistry = Boolean.parseBoolean(built.getProperty(PropertyNames.RESULT_REUSED));
        ImageReference image = ImageReference.parse(built.getProperty(PropertyNames.RESULT_IMAGE), "image");
        List<String> tags =
                Arrays.asList(built.getProperty(PropertyNames.RESULT_TAGS).split(","));
        String fingerprintTag = built.getProperty(PropertyNames.RESULT_FINGERPRINT_TAG);
        PushOutcome outcome;
        try (RegistryLogin.Session session =
                login(registryLogin(log), image.registryHost().stream().toList())) {
            ImagePusher pusher = new ImagePusher(new LocalProcessRunner(), dockerExecutable, log);
            outcome = pusher.push(pushSpec(image, tags, digest, inRegistry), session.environment(), session.secrets());
            if (fingerprintTag != null && !inRegistry) {
                // Last, once the image is complete in the registry: the mark a later build with these inputs looks for.
                pusher.push(
                        pushSpec(image, List.of(fingerprintTag), outcome.digest(), false),
                        session.environment(),
                        session.secrets());
            }
        }
        built.setProperty(PropertyNames.RESULT_PUSHED_DIGEST, outcome.digest());
        recordPush(outcome);
    }

    private PushSpec pushSpec(ImageReference image, List<String> tags, String digest, boolean inRegistry) {
        return new PushSpec(
                image,
                tags,
                digest,
                pushRetries + 1,
                Duration.ofSeconds(pushRetryDelaySeconds),
                Duration.ofSeconds(pushTimeoutSeconds),
                inRegistry);
    }

    private void recordPush(PushOutcome outcome) throws LayercacheException {
        try {
            Map<String, Object> document =
                    Json.parseObject(Files.readString(resultFile.toPath(), StandardCharsets.UTF_8));
            document.put("pushed", outcome.toDocument());
            Files.writeString(resultFile.toPath(), Json.write(document), StandardCharsets.UTF_8);
        } catch (IOException | IllegalArgumentException e) {
            throw new LayercacheException(
                    "Pushed, but cannot add the pushed references to " + resultFile + ": " + e.getMessage());
        }
    }
}
