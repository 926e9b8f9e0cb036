package io.github.layercache.buildx;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuilderLocksTest {

    @TempDir
    Path dir;

    @Test
    void theDefaultDirectoryIsThePluginsOwnUnderTheUsersCache() {
        Path home = Path.of("/home/ci");

        assertThat(BuilderLocks.defaultDirectory(Map.of(), home))
                .isEqualTo(Path.of("/home/ci/.cache/layercache/locks"));
        assertThat(BuilderLocks.defaultDirectory(Map.of("XDG_CACHE_HOME", "/var/cache/ci"), home))
                .isEqualTo(Path.of("/var/cache/ci/layercache/locks"));
        // The XDG rule: a relative XDG_CACHE_HOME is ignored.
        assertThat(BuilderLocks.defaultDirectory(Map.of("XDG_CACHE_HOME", "cache"), home))
                .isEqualTo(Path.of("/home/ci/.cache/layercache/locks"));
    }

    @Test
    void theLockDirectoriesAndFileAreOwnerOnly() throws Exception {
        Path locks = dir.resolve("cache/layercache/locks");

        BuilderLocks.acquire("lc-unit-perms", locks).release();

        for (Path created : List.of(dir.resolve("cache"), dir.resolve("cache/layercache"), locks)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(created)))
                    .as(created.toString())
                    .isEqualTo("rwx------");
        }
        assertThat(PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(locks.resolve("builder-lc-unit-perms.lock"))))
                .isEqualTo("rw-------");
    }

    @Test
    void anExistingLockDirectoryIsMadeOwnerOnly() throws Exception {
        Path locks = Files.createDirectories(dir.resolve("locks"));
        Files.setPosixFilePermissions(locks, PosixFilePermissions.fromString("rwxr-xr-x"));

        BuilderLocks.acquire("lc-unit-tighten", locks).release();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(locks)))
                .isEqualTo("rwx------");
    }

    @Test
    void anotherProcessCannotTakeTheLockWhileItIsHeld() throws Exception {
        Path locks = dir.resolve("locks");
        Path file = locks.resolve("builder-lc-unit-process.lock");

        BuilderLocks.Held held = BuilderLocks.acquire("lc-unit-process", locks);
        try {
            assertThat(probe(file)).isEqualTo("busy");
        } finally {
            held.release();
        }
        assertThat(probe(file)).isEqualTo("free");
    }

    /** Asks a second JVM whether it can lock the file right now. */
    private static String probe(Path file) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        LockProbe.class.getName(),
                        file.toString())
                .redirectErrorStream(true)
                .start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    }

    /** The second process: prints {@code free} when it could take the lock, {@code busy} when not. */
    public static final class LockProbe {
        public static void main(String[] args) throws IOException {
            try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.WRITE)) {
                FileLock lock = channel.tryLock();
                System.out.println(lock == null ? "busy" : "free");
            }
        }
    }
}
