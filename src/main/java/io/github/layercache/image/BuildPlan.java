package io.github.layercache.image;

import io.github.layercache.auth.RepositorySettings;
import io.github.layercache.fingerprint.Fingerprint;
import io.github.layercache.inputs.InputsRecord;
import io.github.layercache.spec.BuildSpec;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A build the planner has checked, ready for {@link BuildRunner}.
 *
 * @param spec the buildx build
 * @param fingerprint what the fingerprint needs beyond the spec, or empty when the skip is off
 * @param fingerprintBaseImages whether base image digests are looked up for the fingerprint
 * @param createRepository how to create the image's ECR repository when it is missing, or empty
 * @param resultFile where the result document goes
 * @param cacheRepository how a repository for the cache alone is set up, when the image's own
 *     repository keeps its tags immutable
 * @param inCi whether this is a CI build (without AWS credentials, a build elsewhere goes on without
 *     the ECR registry's cache)
 * @param inputs how the build's inputs are recorded beside its cache and compared after a miss, or empty
 *     when that is off
 */
public record BuildPlan(
        BuildSpec spec,
        Optional<Fingerprint.Settings> fingerprint,
        boolean fingerprintBaseImages,
        Optional<RepositorySettings> createRepository,
        Path resultFile,
        RepositorySettings cacheRepository,
        boolean inCi,
        Optional<InputsRecord.Settings> inputs) {

    /** The same plan with another spec. */
    public BuildPlan withSpec(BuildSpec value) {
        return new BuildPlan(
                value, fingerprint, fingerprintBaseImages, createRepository, resultFile, cacheRepository, inCi, inputs);
    }
}
