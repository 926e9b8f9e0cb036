package io.github.layercache.maven;

import io.github.layercache.image.BuildResult;
import io.github.layercache.push.PushOutcome;
import java.util.Optional;
import java.util.Properties;
import org.apache.maven.project.MavenProject;

/**
 * What one goal hands the next in the same module, as typed values in the project's context:
 * {@code buildx-setup} the builder it prepared, {@code build} its result, {@code push} what it
 * published. The project properties written here are outputs for the user's later plugins; no goal
 * reads them.
 */
final class HandOff {

    private static final String BUILDER = HandOff.class.getName() + ".builder";
    private static final String BUILD = HandOff.class.getName() + ".build";
    private static final String PUSH = HandOff.class.getName() + ".push";

    private HandOff() {}

    static void builder(MavenProject project, String builder) {
        project.setContextValue(BUILDER, builder);
    }

    /** The builder {@code buildx-setup} prepared for this module in this run. */
    static Optional<String> builder(MavenProject project) {
        return typed(project, BUILDER, String.class);
    }

    static void build(MavenProject project, BuildResult result) {
        project.setContextValue(BUILD, result);
        Properties outputs = project.getProperties();
        var outcome = result.outcome();
        var spec = outcome.spec();
        outputs.setProperty(PropertyNames.RESULT_IMAGE, spec.image().name());
        outputs.setProperty(PropertyNames.RESULT_TAGS, String.join(",", spec.tags()));
        outputs.setProperty(PropertyNames.RESULT_STEPS, outcome.cachedSteps() + "/" + outcome.totalSteps());
        outputs.setProperty(PropertyNames.RESULT_SECONDS, outcome.seconds());
        if (spec.fingerprintTag() != null) {
            outputs.setProperty(PropertyNames.RESULT_FINGERPRINT_TAG, spec.fingerprintTag());
        }
        outputs.setProperty(PropertyNames.RESULT_REUSED, Boolean.toString(outcome.reused()));
        outcome.digest().ifPresent(digest -> {
            outputs.setProperty(PropertyNames.RESULT_DIGEST, digest);
            outputs.setProperty(PropertyNames.RESULT_REFERENCE, spec.image().name() + "@" + digest);
        });
    }

    /** What {@code build} made for this module in this run. */
    static Optional<BuildResult> build(MavenProject project) {
        return typed(project, BUILD, BuildResult.class);
    }

    static void push(MavenProject project, PushOutcome outcome) {
        project.setContextValue(PUSH, outcome);
        project.getProperties().setProperty(PropertyNames.RESULT_PUSHED_DIGEST, outcome.digest());
    }

    /** What {@code push} published for this module in this run. */
    static Optional<PushOutcome> push(MavenProject project) {
        return typed(project, PUSH, PushOutcome.class);
    }

    private static <T> Optional<T> typed(MavenProject project, String key, Class<T> type) {
        Object value = project.getContextValue(key);
        return type.isInstance(value) ? Optional.of(type.cast(value)) : Optional.empty();
    }
}
