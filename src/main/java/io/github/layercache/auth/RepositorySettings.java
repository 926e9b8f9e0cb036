package io.github.layercache.auth;

/**
 * How a repository the plugin creates is set up.
 *
 * @param immutableTags whether a pushed tag can never move to another image
 * @param scanOnPush whether ECR scans each pushed image
 * @param keepImages the lifecycle policy keeps this many images and expires untagged ones; 0 for no policy
 */
public record RepositorySettings(boolean immutableTags, boolean scanOnPush, int keepImages) {

    /**
     * The lifecycle policy: untagged images (old cache and image manifests) expire after a day, and
     * only the newest {@code keepImages} images are kept.
     */
    public String lifecyclePolicy() {
        return "{\"rules\":["
                + "{\"rulePriority\":1,\"description\":\"Expire untagged images after a day\","
                + "\"selection\":{\"tagStatus\":\"untagged\",\"countType\":\"sinceImagePushed\",\"countUnit\":\"days\","
                + "\"countNumber\":1},\"action\":{\"type\":\"expire\"}},"
                + "{\"rulePriority\":2,\"description\":\"Keep the newest " + keepImages + " images\","
                + "\"selection\":{\"tagStatus\":\"any\",\"countType\":\"imageCountMoreThan\",\"countNumber\":"
                + keepImages
                + "},\"action\":{\"type\":\"expire\"}}]}";
    }
}
