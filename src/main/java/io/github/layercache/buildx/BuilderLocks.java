package io.github.layercache.buildx;

import io.github.layercache.core.Text;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock per builder name, held while a builder is looked up and created, so that modules of a
 * parallel reactor (threads) and concurrent Maven runs on one machine (processes) create it once.
 * The lock files live in a directory of the plugin's own, never in the user's docker or buildx
 * configuration.
 */
public final class BuilderLocks {

    /** JVM-wide on purpose: a builder is a machine-wide resource shared by every module thread. */
    private static final ConcurrentHashMap<String, ReentrantLock> LOCAL = new ConcurrentHashMap<>();

    private static final Set<PosixFilePermission> OWNER_ONLY = Set.copyOf(PosixFilePermissions.fromString("rwx------"));
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_DIRECTORY =
            PosixFilePermissions.asFileAttribute(OWNER_ONLY);
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private BuilderLocks() {}

    /**
     * Where one user's builder locks go: {@code $XDG_CACHE_HOME/layercache/locks}, else
     * {@code ~/.cache/layercache/locks}. One user, one directory, so that all of that user's Maven
     * processes meet at the same lock.
     */
    public static Path defaultDirectory(Map<String, String> environment, Path userHome) {
        String cacheHome = environment.get("XDG_CACHE_HOME");
        Path cache = Text.isSet(cacheHome) && Path.of(cacheHome).isAbsolute()
                ? Path.of(cacheHome)
                : userHome.resolve(".cache");
        return cache.resolve("layercache").resolve("locks");
    }

    /** A held lock; {@link Held#release()} frees both the thread lock and the file lock. */
    static Held acquire(String builder, Path lockDirectory) throws IOException, InterruptedException {
        ReentrantLock local = LOCAL.computeIfAbsent(builder, b -> new ReentrantLock());
        local.lockInterruptibly();
        try {
            createOwnerOnly(lockDirectory);
            Path file = lockDirectory.resolve("builder-" + builder + ".lock");
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.createFile(file, OWNER_ONLY_FILE);
                } catch (FileAlreadyExistsException anotherProcessWasFirst) {
                    // the same file, created a moment ago by another Maven run
                }
            }
            FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
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

    /** Creates each missing directory owner-only, and makes the lock directory itself owner-only. */
    private static void createOwnerOnly(Path directory) throws IOException {
        createMissing(directory.toAbsolutePath());
        if (!Files.getPosixFilePermissions(directory).equals(OWNER_ONLY)) {
            Files.setPosixFilePermissions(directory, OWNER_ONLY);
        }
    }

    private static void createMissing(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            return;
        }
        if (directory.getParent() != null) {
            createMissing(directory.getParent());
        }
        try {
            Files.createDirectory(directory, OWNER_ONLY_DIRECTORY);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(directory)) {
                throw e; // a file where the directory should be
            }
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
