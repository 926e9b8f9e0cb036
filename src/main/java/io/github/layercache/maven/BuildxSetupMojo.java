package io.github.layercache.maven;

import static io.github.layercache.core.Text.blankToNull;

import io.github.layercache.auth.RegistryLogin;
import io.github.layercache.buildx.BuilderLocks;
import io.github.layercache.buildx.BuilderManager;
import io.github.layercache.core.LayercacheException;
import io.github.layercache.core.Text;
import io.github.layercache.log.BuildLog;
import io.github.layercache.spec.BuilderSpec;
import io.github.layercache.spec.DockerfileBaseImages;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Creates the buildx builder, or reuses it when it exists, and makes the module's later goals use
 * it. Safe when many modules run it at once: the builder is created once.
 */
@Mojo(name = "buildx-setup", defaultPhase = LifecyclePhase.INITIALIZE, threadSafe = true)
public class BuildxSetupMojo extends AbstractLayercacheMojo {

    /**
     * Skips this goal only.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.SKIP_SETUP, defaultValue = "false")
    private boolean skipSetup;

    /**
     * The builder's name. Default: {@code layercache}, or {@code default} (the default Docker
     * context's builder) with the {@code docker} driver. The {@code build} goal uses this builder.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.BUILDER)
    private String builder;

    /**
     * The buildx driver: {@code docker-container}, {@code docker}, {@code remote} or {@code kubernetes}.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.DRIVER, defaultValue = "docker-container")
    private String driver;

    /**
     * Driver options ({@code --driver-opt}), e.g. {@code <network>host</network>}.
     *
     * @since 0.1.0
     */
    @Parameter
    private Map<String, String> driverOpts;

    /**
     * The BuildKit image the builder runs (default: buildx's {@code moby/buildkit:buildx-stable-1}
     * from Docker Hub). Point it at a copy in your own registry, such as a private ECR repository,
     * so that builders boot without Docker Hub.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.BUILDKIT_IMAGE)
    private String buildkitImage;

    /**
     * A {@code buildkitd.toml} for the builder: registry mirrors, insecure registries.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.BUILDKITD_CONFIG)
    private File buildkitdConfig;

    /**
     * Fixed platforms of the builder's node ({@code --platform} of {@code docker buildx create}).
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.BUILDER_PLATFORMS)
    private List<String> builderPlatforms;

    /**
     * Boots the builder now, so that a builder that cannot start fails here with its reason.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.BOOTSTRAP, defaultValue = "true")
    private boolean bootstrap;

    /**
     * The remote driver's BuildKit address ({@code tcp://buildkitd:1234}) or the kubernetes context.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.ENDPOINT)
    private String endpoint;

    @Component
    private SessionProbeAnswers probeAnswers;

    @Override
    protected void run(BuildLog log) throws LayercacheException, InterruptedException {
        if (skipSetup) {
            log.info("Skipping the builder setup (" + PropertyNames.SKIP_SETUP + "=true)");
            return;
        }
        BuilderSpec spec = new BuilderSpec(
                        builderName(),
                        driver.strip(),
                        driverOpts == null ? Map.of() : driverOpts,
                        blankToNull(buildkitImage),
                        buildkitdConfig == null ? null : buildkitdConfig.toPath(),
                        builderPlatforms == null ? List.of() : builderPlatforms,
                        bootstrap,
                        blankToNull(endpoint))
                .validated();
        BuilderManager manager = new BuilderManager(
                docker(log),
                log,
                BuilderLocks.defaultDirectory(System.getenv(), Path.of(System.getProperty("user.home"))));
        List<String> hosts = spec.buildkitImage() == null
                ? List.of()
                : List.of(DockerfileBaseImages.registryHost(spec.buildkitImage()));
        BuilderManager.Outcome outcome;
        // The login (an ECR token, a private docker config) only when the builder must be created or booted.
        try (RegistryLogin.Lazy session = registryLogin(log).lazily(hosts, dockerConfig())) {
            outcome = manager.prepare(spec, session::docker);
        }
        if (!outcome.driver().equals("docker")) {
            // build then need not ask buildx what this builder is.
            probeAnswers.answers().remember(outcome.builder(), System.getenv(), outcome.driver());
        }
        HandOff.builder(project, outcome.builder());
    }

    private String builderName() {
        if (Text.isSet(builder)) {
            return builder.strip();
        }
        return "docker".equals(driver.strip()) ? "default" : "layercache";
    }
}
