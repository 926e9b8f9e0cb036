package io.github.layercache.fingerprint;

import io.github.layercache.auth.RepositorySettings;
import io.github.layercache.core.FileHashes;
import io.github.layercache.spec.BuildSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A digest of everything that decides what an image build produces: the Dockerfile, every context
 * file BuildKit receives (after {@code .dockerignore}), the build arguments but the volatile ones,
 * target, platforms, labels, extra arguments, the plugin's version and, when asked for, the base
 * images' digests. Two builds with one fingerprint produce the same image, so the second can be
 * skipped. Not included: what a {@code RUN} step fetches from the network, and base images behind a
 * moving tag unless their digests are given.
 */
public record Fingerprint(String value) {

    /** Bumped whenever what goes into a fingerprint changes, so that old fingerprints never match. */
    private static final String FORMAT = "layercache-fingerprint 2";

    /**
     * What the fingerprint needs beyond the build itself.
     *
     * @param pluginVersion the plugin's version: another version may build another image
     * @param volatileBuildArgs build arguments that change every build without changing the image (a build number)
     * @param baseImageDigests resolved {@code image@digest} of each base image, or empty to leave them out
     * @param pluginOutput the directory the plugin writes its results to: its files are outputs, never inputs
     */
    public record Settings(
            String pluginVersion, Set<String> volatileBuildArgs, List<String> baseImageDigests, Path pluginOutput) {

        public Settings {
            volatileBuildArgs = Set.copyOf(volatileBuildArgs);
            baseImageDigests = List.copyOf(baseImageDigests);
        }
    }

    public static Fingerprint of(BuildSpec spec, Settings settings) throws IOException {
        MessageDigest digest = FileHashes.sha256();
        line(digest, FORMAT);
        line(digest, "plugin " + settings.pluginVersion());
        line(digest, "dockerfile " + hash(spec.dockerfile()));
        Path output = settings.pluginOutput() == null
                ? null
                : settings.pluginOutput().toAbsolutePath().normalize();
        for (String file : DockerIgnore.forBuild(spec).includedFiles(spec.contextDirectory())) {
            Path path = spec.contextDirectory().resolve(file);
            if (output != null && path.toAbsolutePath().normalize().startsWith(output)) {
                continue;
            }
            if (Files.isSymbolicLink(path)) {
                line(digest, "link " + file + " -> " + Files.readSymbolicLink(path));
            } else {
                line(digest, "file " + described(file, path));
            }
        }
        for (Map.Entry<String, Path> context : new TreeMap<>(spec.buildContexts()).entrySet()) {
            hashContext(digest, context.getKey(), context.getValue());
        }
        for (Map.Entry<String, String> arg : new TreeMap<>(spec.buildArgs()).entrySet()) {
            if (!settings.volatileBuildArgs().contains(arg.getKey())) {
                line(digest, "arg " + arg.getKey() + "=" + arg.getValue());
            }
        }
        line(digest, "target " + (spec.target() == null ? "" : spec.target()));
        // Without platforms the builder builds for its own: an arm64 laptop must not reuse an amd64 image.
        line(
                digest,
                "platforms "
                        + (spec.platforms().isEmpty()
                                ? "default " + hostPlatform()
                                : String.join(",", spec.platforms())));
        line(digest, "network " + (spec.network() == null ? "" : spec.network()));
        new TreeMap<>(spec.labels()).forEach((k, v) -> line(digest, "label " + k + "=" + v));
        spec.extraArgs().forEach(a -> line(digest, "extra " + a));
        spec.secrets().forEach(s -> line(digest, "secret " + s.id()));
        settings.baseImageDigests().forEach(b -> line(digest, "base " + b));
        // What BuildKit adds to the image: the build's timestamps and its attestations.
        line(digest, "source-date-epoch " + (spec.sourceDateEpoch() == null ? "" : spec.sourceDateEpoch()));
        line(digest, "provenance " + spec.provenance() + " sbom " + spec.sbom());
        return new Fingerprint(HexFormat.of().formatHex(digest.digest()));
    }

    /** A named build context (the Java application's layers): every file, its path, mode and content. */
    private static void hashContext(MessageDigest digest, String name, Path directory) throws IOException {
        line(digest, "context " + name);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(directory)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path file : files) {
            line(digest, "context-file " + described(directory.relativize(file).toString(), file));
        }
    }

    /** This machine's platform as BuildKit names it, e.g. {@code linux/amd64} or {@code linux/arm64}. */
    static String hostPlatform() {
        String arch = System.getProperty("os.arch");
        String normalized =
                switch (arch) {
                    case "amd64", "x86_64" -> "amd64";
                    case "aarch64", "arm64" -> "arm64";
                    default -> arch;
                };
        return System.getProperty("os.name").toLowerCase(Locale.ROOT).replace(" ", "") + "/" + normalized;
    }

    /**
     * The tag of the mark that names the image built from these inputs: a small artifact of its own
     * beside the image, so that the lifecycle policy can expire marks without touching images.
     */
    public String tag() {
        return RepositorySettings.FINGERPRINT_TAG_PREFIX + value.substring(0, 48);
    }

    private static void line(MessageDigest digest, String line) {
        digest.update(line.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) '\n');
    }

    /** A file as the fingerprint counts it: its path, whether it is executable, and its content's hash. */
    private static String described(String name, Path file) throws IOException {
        return name + (Files.isExecutable(file) ? " x " : " - ") + hash(file);
    }

    private static String hash(Path file) throws IOException {
        return HexFormat.of().formatHex(FileHashes.sha256(file));
    }
}
