package io.github.layercache.source;

import io.github.layercache.core.Text;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Whether this build runs in CI, and what says so. The one place that decides it: every rule that
 * behaves differently in CI asks this, and logs {@link #description()} when it does.
 *
 * @param inCi whether the build counts as a CI build
 * @param description which CI was detected and from what, or why none was, e.g.
 *     {@code AWS CodeBuild (CODEBUILD_BUILD_ID is set)}
 */
public record CiEnvironment(boolean inCi, String description) {

    /** A CI system and the variable it always sets. */
    private record Marker(String system, String variable) {}

    /** Specific systems first, so that the log names the system rather than the generic {@code CI}. */
    private static final List<Marker> MARKERS = List.of(
            new Marker("AWS CodeBuild", "CODEBUILD_BUILD_ID"),
            new Marker("GitHub Actions", "GITHUB_ACTIONS"),
            new Marker("GitLab CI", "GITLAB_CI"),
            new Marker("Jenkins", "JENKINS_URL"),
            new Marker("Buildkite", "BUILDKITE"),
            new Marker("CircleCI", "CIRCLECI"),
            new Marker("Azure Pipelines", "TF_BUILD"),
            new Marker("Bitbucket Pipelines", "BITBUCKET_BUILD_NUMBER"),
            new Marker("TeamCity", "TEAMCITY_VERSION"),
            new Marker("Travis CI", "TRAVIS"),
            new Marker("CI", "CI"));

    /**
     * The variables that mark a CI build, in the order they are looked at. The {@code ci} parameter's documentation,
     * the shipping guide and {@code src/env/test.sh} (which keeps them from the test projects) name these, checked by
     * {@code CiVariablesTest}.
     */
    public static List<String> variables() {
        return MARKERS.stream().map(Marker::variable).toList();
    }

    /**
     * Decides from the environment, unless {@code override} says.
     *
     * @param override the user's explicit answer, which beats every variable
     */
    public static CiEnvironment detect(Map<String, String> environment, Optional<Boolean> override) {
        if (override.isPresent()) {
            return override.get()
                    ? new CiEnvironment(true, "CI forced on by the ci parameter")
                    : new CiEnvironment(false, "CI forced off by the ci parameter");
        }
        for (Marker marker : MARKERS) {
            if (isSet(environment.get(marker.variable()))) {
                String system = marker.system().equals("CI") ? "a CI system" : marker.system();
                return new CiEnvironment(true, system + " (" + marker.variable() + " is set)");
            }
        }
        return new CiEnvironment(false, "no CI detected (none of " + String.join(", ", variables()) + " is set)");
    }

    /** {@code CI=false} and {@code CI=0} say "not CI", as many tools read them. */
    private static boolean isSet(String value) {
        String set = Text.blankToNull(value);
        if (set == null) {
            return false;
        }
        String normalized = set.toLowerCase(Locale.ROOT);
        return !normalized.equals("false") && !normalized.equals("0");
    }
}
