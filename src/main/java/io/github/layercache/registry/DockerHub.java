package io.github.layercache.registry;

import java.util.Set;

/**
 * Docker Hub's three names: {@code docker.io}, the one images use; {@code index.docker.io}, its old index; and
 * {@code registry-1.docker.io}, where its registry API answers. Each use maps all three to the name it needs.
 */
public final class DockerHub {

    /** The name image references use, and the registry of a name without a host. */
    public static final String NAME = "docker.io";

    private static final String INDEX = "index.docker.io";
    private static final String API = "registry-1.docker.io";
    private static final Set<String> NAMES = Set.of(NAME, INDEX, API);

    private DockerHub() {}

    /** Docker files Docker Hub's credentials under its old index address, whatever name the image used. */
    public static String configKey(String host) {
        return NAMES.contains(host) ? "https://" + INDEX + "/v1/" : host;
    }

    /** Docker Hub's registry API is not at the name images use. */
    public static String apiHost(String host) {
        return NAMES.contains(host) ? API : host;
    }
}
