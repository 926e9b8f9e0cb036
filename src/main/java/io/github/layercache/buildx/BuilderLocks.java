package io.github.layercache.buildx;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock per builder name, held while a builder is looked up and created, so that modules of a
 * parallel reactor (threads) and concurrent Maven runs on one machine (processes) create it once.
 */
final class BuilderLocks {

    /** JVM-wide on purpose: a builder is a machine-wide resource shared by every module thread. */
    private static final ConcurrentHashMap<String, ReentrantLock> LOCAL = new ConcurrentHashMap<>();

    private BuilderLocks() {}

    /** A held lock; {@link Held#release()} frees both the thread lock and the file lock. */
    static Held acquire(String builder, Path lockDirectory) throws IOException, InterruptedException {
        ReentrantLock local = LOCAL.computeIfAbsent(builder, b -> new ReentrantLock());
        local.lockInterruptibly();
        try {
            Files.createDirectories(lockDirectory);
            FileChannel channel = FileChannel.open(
                    lockDirectory.resolve("layercache-builder-" + builder + ".lock"),
                    StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            try {
                return new Held(local, channel, channel.lock());
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            local.unlock();
            throw e;
        }
    }

    record Held(ReentrantLock local, FileChannel channel, FileLock file) {
        /** Releases both locks; a file lock that cannot be released is released when its channel closes. */
        void release() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing the channel releases the file lock in any case
            } finally {
                local.unlock();
            }
        }
    }
}
