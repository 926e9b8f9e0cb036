package io.github.layercache.source;

import io.github.layercache.core.InvalidSpecException;
import io.github.layercache.registry.ImageReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Expands the placeholders a tag may hold: {@code {version}}, {@code {commit}},
 * {@code {shortCommit}} (12 characters) and {@code {branch}}.
 */
public final class TagTemplate {

    private TagTemplate() {}

    public static List<String> expand(List<String> templates, String version, SourceVersion source)
            throws InvalidSpecException {
        List<String> tags = new ArrayList<>();
        for (String template : templates) {
            String tag = template.strip().replace("{version}", ImageReference.tagFrom(version));
            tag = replace(tag, "{shortCommit}", source.shortCommit(), "a commit");
            tag = replace(tag, "{commit}", source.commit(), "a commit");
            tag = replace(tag, "{branch}", source.branchTag(), "a branch");
            if (!tag.isEmpty()) {
                tags.add(tag);
            }
        }
        return tags;
    }

    private static String replace(String tag, String placeholder, Optional<String> value, String what)
            throws InvalidSpecException {
        if (!tag.contains(placeholder)) {
            return tag;
        }
        if (value.isEmpty()) {
            throw new InvalidSpecException(
                    "tags",
                    "The tag '" + tag + "' asks for " + placeholder + ", but this build knows no " + what.substring(2)
                            + ": CI sets it (CODEBUILD_RESOLVED_SOURCE_VERSION, GITHUB_SHA; CODEBUILD_WEBHOOK_HEAD_REF,"
                            + " GITHUB_REF_NAME), else it comes from the git checkout.");
        }
        return tag.replace(placeholder, value.get());
    }
}
