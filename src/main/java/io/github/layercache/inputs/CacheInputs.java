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
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Keeps an {@link InputsRecord} beside each registry cache: a small OCI artifact in the cache's
 * repository under the cache tag plus {@value #TAG_SUFFIX} ({@code buildcache.inputs},
 * {@code buildcache-feature-x.inputs}), so that the lifecycle policy treats it as the cache it
 * describes (a branch's record expires with the branch's cache).
 */
public final class CacheInputs implements InputsStore {

    public static final String ARTIFACT_TYPE = "application/vnd.layercache.inputs.v1";
    static final String LAYER_MEDIA_TYPE = "application/vnd.layercache.inputs.v1+json+gzip";
    public static final String TAG_SUFFIX = ".inputs";
    /** A record larger than this, unpacked, is not read: it is not one this plugin wrote. */
    private static final int MAX_RECORD_BYTES = 16 * 1024 * 1024;

    private final ManifestTagger registry;
    private final BuildLog log;

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
                Optional<byte[]> content = registry.readArtifact(
                        location.get().repository(), location.get().tag(), ARTIFACT_TYPE);
                if (content.isPresent()) {
                    InputsRecord record = JsonDocuments.read(unpacked(content.get()), InputsRecord.class);
                    if (InputsRecord.FORMAT.equals(record.format())) {
                        return Optional.of(new Found(ref, record));
                    }
                }
            } catch (LayercacheException | IOException | RuntimeException e) {
                log.debug("Cannot read the inputs recorded beside " + ref + ": " + e.getMessage());
            }
        }
        return Optional.empty();
    }

    /** Stores the record beside every registry cache the build exported; a failure is a warning. */
    @Override
    public void write(List<CacheBackend> exports, InputsRecord record) throws InterruptedException {
        byte[] content = packed(JsonDocuments.compact(record));
        for (CacheBackend backend : exports) {
            if (!backend.isRegistry() || backend.ref().isEmpty()) {
                continue;
            }
            Optional<Location> location = location(backend.ref().get());
            if (location.isEmpty()) {
                continue;
            }
            try {
                registry.putArtifact(
                        location.get().repository(), location.get().tag(), ARTIFACT_TYPE, LAYER_MEDIA_TYPE, content);
                log.debug("Recorded the inputs of this build beside "
                        + backend.ref().get() + " (" + content.length + " bytes)");
            } catch (LayercacheException e) {
                log.warn("Could not record the inputs of this build beside "
                        + backend.ref().get() + " (" + e.getMessage()
                        + "): the next build that misses this cache cannot say why.");
            }
        }
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
