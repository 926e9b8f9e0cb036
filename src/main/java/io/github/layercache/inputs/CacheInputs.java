package io.github.layercache.inputs;

import io.github.layercache.cache.CacheBackend;
import io.github.layercache.core.InvalidSpecException;
import io.github.layercache.core.JsonDocuments;
import io.github.layercache.core.LayercacheException;
import io.github.layercache.log.BuildLog;
import io.github.layercache.registry.ImageReference;
import io.github.layercache.registry.ManifestTagger;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Keeps an {@link InputsRecord} beside each registry cache: a small OCI artifact in the cache's
 * repository under the cache tag plus {@value #TAG_SUFFIX} ({@code buildcache.inputs},
 * {@code buildcache-feature-x.inputs}), so that the lifecycle policy treats it as the cache it
 * describes (a branch's record expires with the branch's cache). The base images, known only once
 * BuildKit has resolved them, are the manifest's annotation {@value #BASE_IMAGES_ANNOTATION}; the rest
 * is its layer, uploaded while BuildKit works ({@link #stage}), so that after the build only the
 * manifest is left to write.
 */
public final class CacheInputs implements InputsStore {

    public static final String ARTIFACT_TYPE = "application/vnd.layercache.inputs.v1";
    static final String LAYER_MEDIA_TYPE = "application/vnd.layercache.inputs.v1+json+gzip";
    public static final String TAG_SUFFIX = ".inputs";
    /** The annotation holding the base images, as a JSON object of stage label to {@code ref@digest}. */
    public static final String BASE_IMAGES_ANNOTATION = "io.github.layercache.inputs.base-images";
    /** A record larger than this, unpacked, is not read: it is not one this plugin wrote. */
    private static final int MAX_RECORD_BYTES = 16 * 1024 * 1024;

    private final ManifestTagger registry;
    private final BuildLog log;
    /**
     * The layers {@link #stage} uploaded, by cache ref, with the salt of the record they hold: a record
     * is made once per build with a salt of its own, so the same salt is the same record (comparing the
     * records themselves would cost more than the write saves).
     */
    private final Map<String, Staged> staged = new ConcurrentHashMap<>();

    private record Staged(String salt, ManifestTagger.Blob layer) {}

    public CacheInputs(ManifestTagger registry, BuildLog log) {
        this.registry = registry;
        this.log = log;
    }

    /** Where the record of the registry cache {@code ref} lives: its repository and tag. */
    record Location(ImageReference repository, String tag) {}

    static Optional<Location> location(String cacheRef) {
        int slash = cacheRef.lastIndexOf('/');
        int colon = cacheRef.lastIndexOf(':');
        if (cacheRef.contains("@")) {
            return Optional.empty();
        }
        String repository = colon > slash ? cacheRef.substring(0, colon) : cacheRef;
        String tag = (colon > slash ? cacheRef.substring(colon + 1) : "latest") + TAG_SUFFIX;
        if (tag.length() > 128) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Location(ImageReference.parse(repository, "cacheRef"), tag));
        } catch (InvalidSpecException e) {
            return Optional.empty();
        }
    }

    /** The record beside the first registry cache this build imports that has one. */
    @Override
    public Optional<Found> read(List<CacheBackend> imports) throws InterruptedException {
        for (CacheBackend backend : imports) {
            if (!backend.isRegistry() || backend.ref().isEmpty()) {
                continue;
            }
            String ref = backend.ref().get();
            Optional<Location> location = location(ref);
            if (location.isEmpty()) {
                continue;
            }
            try {
                Optional<ManifestTagger.Artifact> artifact = registry.readArtifact(
                        location.get().repository(), location.get().tag(), ARTIFACT_TYPE);
                if (artifact.isPresent()) {
                    InputsRecord record =
                            JsonDocuments.read(unpacked(artifact.get().content()), InputsRecord.class);
                    if (InputsRecord.FORMAT.equals(record.format())) {
                        return Optional.of(new Found(ref, withBaseImages(record, artifact.get())));
                    }
                }
            } catch (LayercacheException | IOException | RuntimeException e) {
                log.debug("Cannot read the inputs recorded beside " + ref + ": " + e.getMessage());
            }
        }
        return Optional.empty();
    }

    /**
     * Uploads the record (its base images aside) beside each registry cache the build exports, untagged:
     * {@link #write} then only tags it. A failure here is left for {@link #write} to retry and report.
     */
    @Override
    public void stage(List<CacheBackend> exports, InputsRecord record) throws InterruptedException {
        InputsRecord body = record.withBaseImages(Map.of());
        for (CacheBackend backend : exports) {
            Optional<Location> location = recordLocation(backend);
            if (location.isEmpty()) {
                continue;
            }
            try {
                staged.put(backend.ref().get(), new Staged(body.salt(), upload(location.get(), body)));
            } catch (LayercacheException e) {
                log.debug("Cannot upload the inputs record beside "
                        + backend.ref().get() + " yet: " + e.getMessage());
            }
        }
    }

    /** Stores the record beside every registry cache the build exported; a failure is a warning. */
    @Override
    public void write(List<CacheBackend> exports, InputsRecord record) throws InterruptedException {
        InputsRecord body = record.withBaseImages(Map.of());
        for (CacheBackend backend : exports) {
            Optional<Location> location = recordLocation(backend);
            if (location.isEmpty()) {
                continue;
            }
            String ref = backend.ref().get();
            try {
                Staged early = staged.remove(ref);
                ManifestTagger.Blob layer = early != null && early.salt().equals(body.salt())
                        ? early.layer()
                        : upload(location.get(), body);
                registry.putArtifact(
                        location.get().tag(),
                        ARTIFACT_TYPE,
                        layer,
                        Map.of(BASE_IMAGES_ANNOTATION, JsonDocuments.compact(record.baseImages())));
                log.debug("Recorded the inputs of this build beside " + ref + " (" + layer.size() + " bytes)");
            } catch (LayercacheException e) {
                log.warn("Could not record the inputs of this build beside " + ref + " (" + e.getMessage()
                        + "): the next build that misses this cache cannot say why.");
            }
        }
    }

    private static Optional<Location> recordLocation(CacheBackend backend) {
        return backend.isRegistry() && backend.ref().isPresent()
                ? location(backend.ref().get())
                : Optional.empty();
    }

    private ManifestTagger.Blob upload(Location location, InputsRecord body)
            throws LayercacheException, InterruptedException {
        return registry.uploadLayer(location.repository(), LAYER_MEDIA_TYPE, packed(JsonDocuments.compact(body)));
    }

    /** The record with the base images of the manifest's annotation (a record of an older version has them inside). */
    private static InputsRecord withBaseImages(InputsRecord record, ManifestTagger.Artifact artifact)
            throws IOException {
        String baseImages = artifact.annotations().get(BASE_IMAGES_ANNOTATION);
        if (baseImages == null) {
            return record;
        }
        Map<String, String> images = new LinkedHashMap<>();
        JsonDocuments.tree(baseImages)
                .properties()
                .forEach(e -> images.put(e.getKey(), e.getValue().asString()));
        return record.withBaseImages(images);
    }

    private static byte[] packed(String json) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write(json.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static String unpacked(byte[] content) throws IOException {
        try (GZIPInputStream gzip = new GZIPInputStream(new ByteArrayInputStream(content))) {
            byte[] json = gzip.readNBytes(MAX_RECORD_BYTES + 1);
            if (json.length > MAX_RECORD_BYTES) {
                throw new IOException("the record is larger than " + MAX_RECORD_BYTES + " bytes");
            }
            return new String(json, StandardCharsets.UTF_8);
        }
    }
}
