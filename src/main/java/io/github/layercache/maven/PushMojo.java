package io.github.layercache.maven;

import io.github.layercache.core.InvalidSpecException;
import io.github.layercache.core.LayercacheException;
import io.github.layercache.image.BuildResult;
import io.github.layercache.log.BuildLog;
import io.github.layercache.push.PushAttempts;
import io.github.layercache.push.PushOutcome;
import io.github.layercache.push.PushRunner;
import io.github.layercache.result.ResultFile;
import java.io.File;
import java.time.Duration;
import java.util.Optional;
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
     * The build result that {@code build} wrote; it is written again with the pushed references.
     *
     * @since 0.1.0
     */
    @Parameter(
            property = PropertyNames.IMAGE_RESULT_FILE,
            defaultValue = "${project.build.directory}/layercache/image.json")
    private File resultFile;

    @Override
    protected void run(BuildLog log) throws LayercacheException, InterruptedException {
        if (skipPush) {
            log.info("Skipping the push (" + PropertyNames.SKIP_PUSH + "=true)");
            return;
        }
        Optional<BuildResult> built =
                HandOff.build(project).filter(b -> b.outcome().digest().isPresent());
        if (built.isEmpty()) {
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
        PushOutcome outcome = new PushRunner(docker(log), registryLogin(log), dockerConfig(), log)
                .publish(
                        built.get().outcome(),
                        new PushAttempts(
                                pushRetries + 1,
                                Duration.ofSeconds(pushRetryDelaySeconds),
                                Duration.ofSeconds(pushTimeoutSeconds)));
        HandOff.push(project, outcome);
        try {
            ResultFile.write(resultFile.toPath(), built.get(), Optional.of(outcome));
        } catch (LayercacheException e) {
            throw new LayercacheException("Pushed, but cannot add the pushed references: " + e.getMessage());
        }
    }
}
