package io.github.layercache.auth;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Whether an ECR repository lets a tag move to another image, as {@code DescribeRepositories} says:
 * {@code MUTABLE}, {@code IMMUTABLE}, or either with exclusion filters (wildcard patterns of tags
 * that behave the other way).
 *
 * @param setting the repository's {@code imageTagMutability}
 * @param exclusions its {@code imageTagMutabilityExclusionFilters} (wildcards, {@code *} matching any characters)
 */
public record TagMutability(String setting, List<String> exclusions) {

    public TagMutability {
        exclusions = List.copyOf(exclusions);
    }

    /** Whether a push of {@code tag} that already exists is refused. */
    public boolean fixes(String tag) {
        boolean excluded = exclusions.stream().anyMatch(pattern -> matches(pattern, tag));
        return switch (setting) {
            case "IMMUTABLE" -> true;
            case "IMMUTABLE_WITH_EXCLUSION" -> !excluded;
            case "MUTABLE_WITH_EXCLUSION" -> excluded;
            default -> false;
        };
    }

    private static boolean matches(String wildcard, String tag) {
        return Pattern.compile(Pattern.quote(wildcard).replace("*", "\\E.*\\Q"))
                .matcher(tag)
                .matches();
    }
}
