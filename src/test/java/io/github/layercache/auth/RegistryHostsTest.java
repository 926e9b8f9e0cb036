package io.github.layercache.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.layercache.cache.CacheBackend;
import io.github.layercache.cache.CacheSpec;
import io.github.layercache.registry.ImageReference;
import io.github.layercache.spec.BuildSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryHostsTest {

    @TempDir
    Path context;

    @Test
    void imageCachesAndBaseImagesEachBringTheirRegistry() throws Exception {
        Files.writeString(
                context.resolve("Dockerfile"),
                "ARG BASE=111111111111.dkr.ecr.eu-west-1.amazonaws.com/base:1\nFROM ${BASE} AS build\nFROM ubuntu:24.04\n");
        BuildSpec spec = BuildSpec.builder()
                .timeout(Duration.ofHours(1))
                .provenance("false")
                .contextDirectory(context)
                .image(ImageReference.parse("222222222222.dkr.ecr.eu-west-1.amazonaws.com/app", "image"))
                .tags(List.of("1"))
                .cache(new CacheSpec(
                        List.of(
                                CacheBackend.registry("cache.example.com:5000/app:buildcache"),
                                CacheBackend.parse("type=gha,scope=x", "c")),
                        List.of(CacheBackend.registry("222222222222.dkr.ecr.eu-west-1.amazonaws.com/app:buildcache")),
                        false))
                .buildArgs(Map.of())
                .metadataFile(context.resolve("m.json"))
                .build();

        assertThat(RegistryHosts.of(spec))
                .containsExactly(
                        "222222222222.dkr.ecr.eu-west-1.amazonaws.com",
                        "cache.example.com:5000",
                        "111111111111.dkr.ecr.eu-west-1.amazonaws.com",
                        "docker.io");
    }
}
