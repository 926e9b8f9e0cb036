package io.github.layercache.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.layercache.core.JsonDocuments;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * The plugin's lifecycle policy against ECR's documented rule semantics, over every kind of object
 * the plugin and its users leave in a repository, each a year old (so that every age limit is past)
 * and among more than enough younger objects of its kind (so that every count limit is past).
 *
 * <p>The semantics, as ECR's lifecycle policy documentation states them: rules are applied in
 * ascending {@code rulePriority}; {@code tagged} selects an image when, for every pattern of
 * {@code tagPatternList}, one of its tags matches ({@code *} matches any characters); {@code untagged}
 * selects images without tags; {@code any} selects every image; an image that matches the tagging
 * requirements of a rule cannot be expired by a rule of lower priority; {@code sinceImagePushed}
 * expires the selected images pushed more than {@code countNumber} days ago, and
 * {@code imageCountMoreThan} keeps the {@code countNumber} most recently pushed ones and expires the
 * rest.
 */
class LifecyclePolicyTest {

    /** An object in the repository: its tags and how many days ago it was pushed. */
    record Image(String name, List<String> tags, int daysSincePush) {}

    /** The policy the plugin wrote before fingerprint marks, as it was: one "any" rule kept 100 images. */
    private static final String PREVIOUS_POLICY = "{\"rules\":[{\"rulePriority\":1,\"description\":\"Expire untagged"
            + " images after a day\",\"selection\":{\"tagStatus\":\"untagged\",\"countType\":\"sinceImagePushed\","
            + "\"countUnit\":\"days\",\"countNumber\":1},\"action\":{\"type\":\"expire\"}},{\"rulePriority\":2,"
            + "\"description\":\"Keep the newest 100 images\",\"selection\":{\"tagStatus\":\"any\",\"countType\":"
            + "\"imageCountMoreThan\",\"countNumber\":100},\"action\":{\"type\":\"expire\"}}]}";

    private static final String FINGERPRINT = "fingerprint-" + "3f2a".repeat(12);

    static Stream<Arguments> imageKinds() {
        return Stream.of(
                Arguments.of(new Image("release", List.of("1.2.0"), 365), false),
                Arguments.of(new Image("release with latest", List.of("1.2.0", "latest"), 365), false),
                // A release and the mark of its fingerprint: two objects, the mark pointing at the image.
                Arguments.of(new Image("release of a fingerprinted build", List.of("1.3.0"), 365), false),
                Arguments.of(new Image("commit-tagged image", List.of("git-0123456789ab"), 365), false),
                Arguments.of(new Image("branch-tagged image", List.of("feature-login"), 365), false),
                Arguments.of(new Image("main's cache", List.of("buildcache"), 365), false),
                Arguments.of(new Image("fingerprint mark", List.of(FINGERPRINT), 365), true),
                Arguments.of(new Image("a branch's cache", List.of("buildcache-feature-login"), 365), true),
                Arguments.of(new Image("the unknown branch's cache", List.of("buildcache-unknown-branch"), 365), true),
                Arguments.of(new Image("untagged by-digest image", List.of(), 365), true),
                Arguments.of(new Image("fresh branch cache", List.of("buildcache-feature-login"), 3), false),
                Arguments.of(new Image("fresh fingerprint mark", List.of(FINGERPRINT), 3), false),
                // The inputs recorded beside a cache (cacheExplain) live and go with that cache.
                Arguments.of(new Image("main's inputs record", List.of("buildcache.inputs"), 365), false),
                Arguments.of(
                        new Image("a branch's inputs record", List.of("buildcache-feature-login.inputs"), 365), true),
                Arguments.of(
                        new Image("fresh branch inputs record", List.of("buildcache-feature-login.inputs"), 3), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("imageKinds")
    void thePluginsPolicyExpiresOnlyWhatThePluginLeavesBehind(Image image, boolean expires) throws Exception {
        String policy = new RepositorySettings(false, true, 14, "buildcache", false).lifecyclePolicy();

        assertThat(expired(policy, image)).as(image.name()).isEqualTo(expires);
    }

    @Test
    void thePreviousPolicyFailsTheSameTable() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (Arguments kind : imageKinds().toList()) {
            Image image = (Image) kind.get()[0];
            if (expired(PREVIOUS_POLICY, image) != (boolean) kind.get()[1]) {
                wrong.add(image.name());
            }
        }

        // It counted every object: past 100 newer ones a release went like a cache, whatever its age.
        assertThat(wrong)
                .contains(
                        "release",
                        "release with latest",
                        "release of a fingerprinted build",
                        "commit-tagged image",
                        "main's cache",
                        "fresh branch cache");
    }

    /** Whether {@code image}, among 150 newer objects of the same kind, is expired by the policy. */
    private static boolean expired(String policy, Image image) throws Exception {
        List<Image> repository = new ArrayList<>();
        repository.add(image);
        for (int i = 0; i < 150; i++) {
            String suffix = "-newer" + i;
            repository.add(new Image(
                    "newer " + i, image.tags().stream().map(t -> t + suffix).toList(), 0));
        }
        return evaluate(policy, repository).contains(image);
    }

    /** The images the policy expires, by the documented semantics. */
    static Set<Image> evaluate(String policy, List<Image> images) throws Exception {
        List<JsonNode> rules = new ArrayList<>();
        JsonDocuments.tree(policy).path("rules").forEach(rules::add);
        rules.sort(Comparator.comparingInt(r -> r.path("rulePriority").asInt()));
        Set<Image> claimed = new LinkedHashSet<>();
        Set<Image> expired = new LinkedHashSet<>();
        for (JsonNode rule : rules) {
            JsonNode selection = rule.path("selection");
            List<Image> selected = images.stream()
                    .filter(i -> !claimed.contains(i))
                    .filter(i -> selects(selection, i))
                    .sorted(Comparator.comparingInt(Image::daysSincePush))
                    .toList();
            claimed.addAll(selected);
            int count = selection.path("countNumber").asInt();
            switch (selection.path("countType").asString("")) {
                case "sinceImagePushed" ->
                    selected.stream().filter(i -> i.daysSincePush() > count).forEach(expired::add);
                case "imageCountMoreThan" -> selected.stream().skip(count).forEach(expired::add);
                default -> throw new AssertionError("unknown countType in " + selection);
            }
        }
        return expired;
    }

    private static boolean selects(JsonNode selection, Image image) {
        return switch (selection.path("tagStatus").asString("")) {
            case "untagged" -> image.tags().isEmpty();
            case "any" -> true;
            case "tagged" -> {
                boolean all = true;
                for (JsonNode pattern : selection.path("tagPatternList")) {
                    Pattern regex =
                            Pattern.compile(Pattern.quote(pattern.asString()).replace("*", "\\E.*\\Q"));
                    all &= image.tags().stream().anyMatch(t -> regex.matcher(t).matches());
                }
                yield all && !image.tags().isEmpty();
            }
            default -> throw new AssertionError("unknown tagStatus in " + selection);
        };
    }
}
