package io.github.layercache.auth;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.layercache.core.JsonDocuments;
import java.util.List;

/**
 * How a repository the plugin creates is set up.
 *
 * @param immutableTags whether a pushed tag can never move to another image
 * @param scanOnPush whether ECR scans each pushed image
 * @param keepImages the lifecycle policy keeps this many images and expires untagged ones; 0 for no policy
 */
public record RepositorySettings(boolean immutableTags, boolean scanOnPush, int keepImages) {

    /** An ECR lifecycle policy document, as {@code PutLifecyclePolicy} takes it. */
    record LifecyclePolicy(List<Rule> rules) {}

    record Rule(int rulePriority, String description, Selection selection, Action action) {}

    record Selection(
            String tagStatus,
            String countType,
            @JsonInclude(JsonInclude.Include.NON_NULL) String countUnit,
            int countNumber) {}

    record Action(String type) {}

    /**
     * The lifecycle policy: untagged images (old cache and image manifests) expire after a day, and
     * only the newest {@code keepImages} images are kept.
     */
    public String lifecyclePolicy() {
        Action expire = new Action("expire");
        return JsonDocuments.compact(new LifecyclePolicy(List.of(
                new Rule(
                        1,
                        "Expire untagged images after a day",
                        new Selection("untagged", "sinceImagePushed", "days", 1),
                        expire),
                new Rule(
                        2,
                        "Keep the newest " + keepImages + " images",
                        new Selection("any", "imageCountMoreThan", null, keepImages),
                        expire))));
    }
}
