package io.github.layercache.spec;

import io.github.layercache.core.Text;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The facts about a module that image defaults and OCI labels come from. */
public record ProjectInfo(
        String artifactId,
        String version,
        String name,
        String description,
        String url,
        String scmUrl,
        String vendor,
        List<String> licenses) {

    public ProjectInfo {
        licenses = List.copyOf(licenses);
    }

    /** The {@code org.opencontainers.image.*} annotations this project can fill. */
    public Map<String, String> ociLabels() {
        Map<String, String> labels = new LinkedHashMap<>();
        put(labels, "title", Text.isSet(name) ? name : artifactId);
        put(labels, "description", description);
        put(labels, "version", version);
        put(labels, "url", url);
        put(labels, "source", scmUrl);
        put(labels, "vendor", vendor);
        put(labels, "licenses", licenses.isEmpty() ? null : String.join(" OR ", licenses));
        return labels;
    }

    private static void put(Map<String, String> labels, String key, String value) {
        if (Text.isSet(value)) {
            labels.put("org.opencontainers.image." + key, value.strip().replaceAll("\\s+", " "));
        }
    }
}
