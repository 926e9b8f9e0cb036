package io.github.layercache.inputs;

import io.github.layercache.cache.CacheBackend;
import java.util.List;
import java.util.Optional;

/** Where the inputs records of caches are kept: beside the registry caches they describe. */
public interface InputsStore {

    /** A record and the cache it was found beside. */
    record Found(String cacheRef, InputsRecord record) {}

    /** The record beside the first of these caches that has one. */
    Optional<Found> read(List<CacheBackend> imports) throws InterruptedException;

    /**
     * Sends ahead what can be stored of the record before the build ends (all but its base images), so
     * that {@link #write} has less left to do; a store that cannot does it all in {@link #write}.
     */
    default void stage(List<CacheBackend> exports, InputsRecord record) throws InterruptedException {}

    /** Stores the record beside each of these caches; a failure is a warning, never an error. */
    void write(List<CacheBackend> exports, InputsRecord record) throws InterruptedException;
}
