package io.github.layercache.auth;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.layercache.core.JsonDocuments;
import java.util.List;

/**
 * How a repository the plugin creates is set up, and the lifecycle policy it offers.
 *
 * @param immutableTags whether a pushed tag can never move to another image (the plugin's own moving
 *     tags, the caches and the fingerprint marks, are excluded from that)
 * @param scanOnPush whether ECR scans each pushed image
 * @param expireDays the lifecycle policy expires the plugin's own objects, branch caches and
 *     fingerprint marks, this many days after their last push; 0 for no policy
 * @param cacheTag the main branch's cache tag; a branch's cache is tagged {@code <cacheTag>-<branch>}
 * @param replacePolicy whether an existing repository gets the policy too, in place of its own
 */
public record RepositorySettings(
        boolean immutableTags, boolean scanOnPush, int expireDays, String cacheTag, boolean replacePolicy) {

    /** What every fingerprint mark's tag starts with; no other tag the plugin writes or accepts does. */
    public static final String FINGERPRINT_TAG_PREFIX = "fingerprint-";

    /** An ECR lifecycle policy document, as {@code PutLifecyclePolicy} takes it. */
    record LifecyclePolicy(List<Rule> rules) {}

    record Rule(int rulePriority, String description, Selection selection, Action action) {}

    record Selection(
            String tagStatus,
            @JsonInclude(JsonInclude.Include.NON_NULL) List<String> tagPatternList,
            String countType,
            @JsonInclude(JsonInclude.Include.NON_NULL) String countUnit,
            int countNumber) {}

    record Action(String type) {}

    /** The tag patterns of the plugin's own moving tags, which immutability must not cover. */
    public List<String> ownTagPatterns() {
        return List.of(cacheTag + "*", FINGERPRINT_TAG_PREFIX + "*");
    }

    /**
     * The lifecycle policy. ECR selects an image for a tagged rule when any of its tags matches, and
     * an image one rule selects is never expired by a later one; images no rule selects are kept. So
     * the rules name only tags the plugin alone writes, on objects that carry no other tag:
     *
     * <ol>
     *   <li>branch caches ({@code <cacheTag>-*}, the unknown branch's included) expire
     *       {@code expireDays} after their last export; main's cache ({@code <cacheTag>}) never;
     *   <li>fingerprint marks ({@code fingerprint-*}), small artifacts beside the image they point at,
     *       expire {@code expireDays} after they were written; the image itself carries no
     *       fingerprint tag;
     *   <li>untagged images (a cache or image whose tag moved on, an image pushed by digest and never
     *       tagged) expire a day after their push.
     * </ol>
     *
     * Any image with a tag the user configured (a release, a version, a commit) matches no rule and
     * is kept: those are the user's to expire, with a rule of their own numbered below 10.
     */
    public String lifecyclePolicy() {
        Action expire = new Action("expire");
        return JsonDocuments.compact(new LifecyclePolicy(List.of(
                new Rule(
                        10,
                        "Branch caches (" + cacheTag + "-<branch>) not exported for " + expireDays + " days",
                        new Selection("tagged", List.of(cacheTag + "-*"), "sinceImagePushed", "days", expireDays),
                        expire),
                new Rule(
                        20,
                        "Fingerprint marks written more than " + expireDays + " days ago",
                        new Selection(
                                "tagged",
                                List.of(FINGERPRINT_TAG_PREFIX + "*"),
                                "sinceImagePushed",
                                "days",
                                expireDays),
                        expire),
                new Rule(
                        30,
                        "Untagged images: old caches, images whose tags moved on",
                        new Selection("untagged", null, "sinceImagePushed", "days", 1),
                        expire))));
    }
}
