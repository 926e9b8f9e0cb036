package io.github.layercache.auth;

import io.github.layercache.cache.CacheBackend;
import io.github.layercache.spec.BuildSpec;
import io.github.layercache.spec.DockerfileBaseImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The registries a build talks to: the image's, the caches', and those of the Dockerfile's base images. */
public final class RegistryHosts {

    private RegistryHosts() {}

    public static Set<String> of(BuildSpec spec) throws IOException {
        Set<String> hosts = new LinkedHashSet<>();
        spec.image().registryHost().ifPresent(hosts::add);
        List<CacheBackend> caches = new ArrayList<>(spec.cache().imports());
        caches.addAll(spec.cache().exports());
        for (CacheBackend cache : caches) {
            if (cache.isRegistry()) {
                cache.ref().map(DockerfileBaseImages::registryHost).ifPresent(hosts::add);
            }
        }
        String dockerfile = Files.readString(spec.dockerfile(), StandardCharsets.UTF_8);
        DockerfileBaseImages.of(dockerfile, spec.buildArgs()).stream()
                .map(DockerfileBaseImages::registryHost)
                .forEach(hosts::add);
        return hosts;
    }
}
