package io.github.layercache.build;

import io.github.layercache.auth.DockerConfigLocation;
import io.github.layercache.auth.RegistryHosts;
import io.github.layercache.auth.RegistryLogin;
import io.github.layercache.buildx.BuildOutcome;
import io.github.layercache.buildx.BuildxClient;
import io.github.layercache.core.LayercacheException;
import io.github.layercache.docker.DockerCli;
import io.github.layercache.docker.DockerEnvironment;
import io.github.layercache.docker.RegistryImages;
import io.github.layercache.fingerprint.Fingerprint;
import io.github.layercache.log.BuildLog;
import io.github.layercache.spec.BuildSpec;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Carries out a {@link BuildPlan}: creates the ECR repository when asked, logs in to every registry
 * the build talks to, fingerprints the inputs and reuses an image the registry already has with
 * them, and otherwise builds.
 */
public final class BuildRunner {

    private final DockerCli docker;
    private final RegistryLogin registries;
    private final DockerConfigLocation dockerConfig;
    private final BuildLog log;

    public BuildRunner(DockerCli docker, RegistryLogin registries, DockerConfigLocation dockerConfig, BuildLog log) {
        this.docker = docker;
        this.registries = registries;
        this.dockerConfig = dockerConfig;
        this.log = log;
    }

    public BuildOutcome run(BuildPlan plan) throws LayercacheException, InterruptedException {
        long started = System.nanoTime();
        BuildSpec spec = plan.spec();
        if (plan.createRepository().isPresent()) {
            registries.ensureRepository(
                    spec.image().registryHost().orElse("docker.io"),
                    spec.image().path(),
                    plan.createRepository().get());
        }
        try (RegistryLogin.Session session = registries.open(registryHosts(spec), dockerConfig)) {
            DockerEnvironment environment = session.docker();
            ReuseCheck reuse = new ReuseCheck(new RegistryImages(docker), log, environment);
            Optional<Fingerprint> inputs = plan.fingerprint().isPresent()
                    ? reuse.fingerprint(spec, plan.fingerprint().get(), plan.fingerprintBaseImages())
                    : Optional.empty();
            if (inputs.isPresent()) {
                spec = spec.withFingerprintTag(inputs.get().tag());
                Optional<String> existing = reuse.existingImage(spec);
                if (existing.isPresent()) {
                    return BuildOutcome.reused(
                            spec, existing.get(), inputs.get().value(), Duration.ofNanos(System.nanoTime() - started));
                }
            }
            BuildOutcome outcome = new BuildxClient(docker, log).build(spec, environment);
            return inputs.map(i -> outcome.withFingerprint(i.value())).orElse(outcome);
        }
    }

    /** Every registry the build talks to; the base images count only when the Dockerfile can be read. */
    private Set<String> registryHosts(BuildSpec spec) {
        try {
            return RegistryHosts.of(spec);
        } catch (IOException e) {
            log.debug("Cannot read the base images of " + spec.dockerfile() + ": " + e.getMessage());
            return spec.image().registryHost().stream().collect(Collectors.toSet());
        }
    }
}
